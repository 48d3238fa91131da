// Tensor lifecycle, creation, metadata and data access.
#include "common.h"

#include <cstring>
#include <sstream>

using namespace xr;

namespace {
thread_local std::string tensor_text;

std::vector<int64_t> shape_of(const int64_t* shape, int32_t ndim) {
    auto ref = ints(shape, ndim);
    for (auto d : ref)
        if (d < 0) throw ArgumentError("shape has a negative dimension " + std::to_string(d));
    return std::vector<int64_t>(ref.begin(), ref.end());
}
}  // namespace

extern "C" {

int32_t xr_tensor_free(xr_tensor t) {
    XR_TRY(delete reinterpret_cast<torch::Tensor*>(t););
}

int32_t xr_tensor_from_data(const void* data, int64_t nbytes, const int64_t* shape, int32_t ndim, int32_t dtype,
                            int32_t device_type, int32_t device_index, int32_t requires_grad, xr_tensor* out) {
    XR_TRY(
        auto sizes = shape_of(shape, ndim);
        auto type = xr::dtype(dtype);
        // The one copy: managed memory straight into a new CPU tensor's storage.
        auto cpu = torch::empty(sizes, torch::TensorOptions().dtype(type));
        const int64_t expected = cpu.numel() * static_cast<int64_t>(cpu.element_size());
        if (nbytes != expected)
            throw ArgumentError("data holds " + std::to_string(nbytes) + " bytes but shape needs " +
                                std::to_string(expected));
        if (expected > 0) {
            require(data, "data");
            std::memcpy(cpu.data_ptr(), data, static_cast<size_t>(expected));
        }
        auto dev = xr::device(device_type, device_index);
        auto result = dev.is_cpu() ? cpu : cpu.to(dev);
        if (requires_grad) result.requires_grad_(true);
        put(out, result);
    );
}

int32_t xr_tensor_new(int32_t kind, const int64_t* shape, int32_t ndim, int32_t dtype, int32_t device_type,
                      int32_t device_index, int32_t requires_grad, xr_tensor* out) {
    XR_TRY(
        auto sizes = shape_of(shape, ndim);
        auto o = options(dtype, device_type, device_index, requires_grad);
        switch (kind) {
            case 0: put(out, torch::empty(sizes, o)); break;
            case 1: put(out, torch::zeros(sizes, o)); break;
            case 2: put(out, torch::ones(sizes, o)); break;
            case 3: put(out, torch::rand(sizes, o)); break;
            case 4: put(out, torch::randn(sizes, o)); break;
            default: throw ArgumentError("unknown creation kind " + std::to_string(kind));
        }
    );
}

int32_t xr_tensor_full(const int64_t* shape, int32_t ndim, xr_scalar value, int32_t dtype, int32_t device_type,
                       int32_t device_index, int32_t requires_grad, xr_tensor* out) {
    XR_TRY(put(out, torch::full(shape_of(shape, ndim), scalar(value),
                                options(dtype, device_type, device_index, requires_grad))););
}

int32_t xr_tensor_arange(xr_scalar start, xr_scalar end, xr_scalar step, int32_t dtype, int32_t device_type,
                         int32_t device_index, int32_t requires_grad, xr_tensor* out) {
    XR_TRY(put(out, torch::arange(scalar(start), scalar(end), scalar(step),
                                  options(dtype, device_type, device_index, requires_grad))););
}

int32_t xr_tensor_randint(int64_t low, int64_t high, const int64_t* shape, int32_t ndim, int32_t dtype,
                          int32_t device_type, int32_t device_index, xr_tensor* out) {
    XR_TRY(put(out, torch::randint(low, high, shape_of(shape, ndim), options(dtype, device_type, device_index, 0))););
}

int32_t xr_tensor_randperm(int64_t n, int32_t device_type, int32_t device_index, xr_tensor* out) {
    XR_TRY(put(out, torch::randperm(n, options(4, device_type, device_index, 0))););
}

int32_t xr_tensor_ndim(xr_tensor t, int32_t* ndim) {
    XR_TRY(require(ndim, "ndim"); *ndim = static_cast<int32_t>(T(t).dim()););
}

int32_t xr_tensor_sizes(xr_tensor t, int64_t* sizes, int32_t capacity) {
    XR_TRY(
        auto& x = T(t);
        if (capacity < x.dim()) throw ArgumentError("sizes buffer too small");
        for (int64_t i = 0; i < x.dim(); ++i) sizes[i] = x.size(i);
    );
}

int32_t xr_tensor_strides(xr_tensor t, int64_t* strides, int32_t capacity) {
    XR_TRY(
        auto& x = T(t);
        if (capacity < x.dim()) throw ArgumentError("strides buffer too small");
        for (int64_t i = 0; i < x.dim(); ++i) strides[i] = x.stride(i);
    );
}

int32_t xr_tensor_numel(xr_tensor t, int64_t* numel) {
    XR_TRY(require(numel, "numel"); *numel = T(t).numel(););
}

int32_t xr_tensor_dtype(xr_tensor t, int32_t* dtype) {
    XR_TRY(require(dtype, "dtype"); *dtype = static_cast<int32_t>(T(t).scalar_type()););
}

int32_t xr_tensor_device(xr_tensor t, int32_t* device_type, int32_t* device_index) {
    XR_TRY(
        require(device_type, "device_type");
        require(device_index, "device_index");
        auto d = T(t).device();
        *device_type = static_cast<int32_t>(d.type());
        *device_index = d.has_index() ? d.index() : -1;
    );
}

int32_t xr_tensor_element_size(xr_tensor t, int32_t* size) {
    XR_TRY(require(size, "size"); *size = static_cast<int32_t>(T(t).element_size()););
}

int32_t xr_tensor_copy_to(xr_tensor t, void* dst, int64_t nbytes) {
    XR_TRY(
        auto x = T(t).detach();
        if (!x.device().is_cpu()) x = x.to(torch::kCPU);
        x = x.contiguous();
        const int64_t have = x.numel() * static_cast<int64_t>(x.element_size());
        if (nbytes != have)
            throw ArgumentError("destination holds " + std::to_string(nbytes) + " bytes, tensor has " +
                                std::to_string(have));
        if (have > 0) {
            require(dst, "dst");
            std::memcpy(dst, x.data_ptr(), static_cast<size_t>(have));
        }
    );
}

int32_t xr_tensor_data_ptr(xr_tensor t, void** ptr) {
    XR_TRY(
        require(ptr, "ptr");
        auto& x = T(t);
        if (!x.device().is_cpu()) throw ArgumentError("data access needs a CPU tensor; call cpu() first");
        if (!x.is_contiguous()) throw ArgumentError("data access needs a contiguous tensor; call contiguous() first");
        *ptr = x.data_ptr();
    );
}

int32_t xr_tensor_item(xr_tensor t, xr_scalar* value) {
    XR_TRY(require(value, "value"); *value = to_xr(T(t).item()););
}

int32_t xr_tensor_to_string(xr_tensor t, const char** text) {
    XR_TRY(
        require(text, "text");
        std::ostringstream s;
        s << T(t);
        tensor_text = s.str();
        *text = tensor_text.c_str();
    );
}

int32_t xr_tensor_to(xr_tensor t, int32_t dtype, int32_t device_type, int32_t device_index, int32_t non_blocking,
                     int32_t copy, int32_t memory_format, xr_tensor* out) {
    XR_TRY(
        auto& x = T(t);
        auto type = dtype < 0 ? x.scalar_type() : xr::dtype(dtype);
        auto dev = device_type < 0 ? x.device() : xr::device(device_type, device_index);
        put(out, x.to(dev, type, non_blocking != 0, copy != 0, xr::memory_format(memory_format)));
    );
}

int32_t xr_tensor_contiguous(xr_tensor t, int32_t memory_format, xr_tensor* out) {
    XR_TRY(put(out, T(t).contiguous(xr::memory_format(memory_format))););
}

int32_t xr_tensor_is_contiguous(xr_tensor t, int32_t memory_format, int32_t* result) {
    XR_TRY(require(result, "result"); *result = T(t).is_contiguous(xr::memory_format(memory_format)) ? 1 : 0;);
}

int32_t xr_tensor_clone(xr_tensor t, xr_tensor* out) {
    XR_TRY(put(out, T(t).clone()););
}

int32_t xr_tensor_alias(xr_tensor t, xr_tensor* out) {
    XR_TRY(put(out, T(t)););
}

}  // extern "C"
