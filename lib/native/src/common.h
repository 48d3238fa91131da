// Shared by every translation unit: the exception guard and handle conversions.
#pragma once

#include "xray_native.h"

#include <torch/torch.h>

#include <new>
#include <stdexcept>
#include <string>
#include <vector>

namespace xr {

// Thrown by our own argument checks; becomes XR_ERR_ARGUMENT.
struct ArgumentError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

void set_error(const char* message);
void clear_error();
int32_t translate_current_exception();

// Runs body, turning every exception into a status and a thread-local message.
// Nothing may cross extern "C" as an exception: that is undefined behaviour.
template <typename F>
inline int32_t guard(F&& body) noexcept {
    try {
        body();
        return XR_OK;
    } catch (...) {
        return translate_current_exception();
    }
}

inline torch::Tensor& T(xr_tensor t) {
    if (t == nullptr) throw ArgumentError("tensor handle is null");
    return *reinterpret_cast<torch::Tensor*>(t);
}

// An optional tensor: NULL becomes an undefined tensor, which libtorch reads as "not given".
inline torch::Tensor opt(xr_tensor t) {
    return t == nullptr ? torch::Tensor() : *reinterpret_cast<torch::Tensor*>(t);
}

inline void put(xr_tensor* out, torch::Tensor value) {
    if (out == nullptr) throw ArgumentError("output pointer is null");
    *out = reinterpret_cast<xr_tensor>(new torch::Tensor(std::move(value)));
}

template <typename P>
inline void require(P* p, const char* what) {
    if (p == nullptr) throw ArgumentError(std::string(what) + " is null");
}

inline c10::IntArrayRef ints(const int64_t* values, int32_t n) {
    if (n < 0) throw ArgumentError("negative length " + std::to_string(n));
    if (n > 0 && values == nullptr) throw ArgumentError("array pointer is null");
    return c10::IntArrayRef(values, static_cast<size_t>(n));
}

inline c10::Scalar scalar(const xr_scalar& s) {
    switch (s.kind) {
        case 0: return c10::Scalar(s.d);
        case 1: return c10::Scalar(s.i);
        case 2: return c10::Scalar(s.i != 0);
        default: throw ArgumentError("unknown scalar kind " + std::to_string(s.kind));
    }
}

inline xr_scalar to_xr(const c10::Scalar& s) {
    xr_scalar r{0.0, 0, 0};
    if (s.isBoolean()) { r.kind = 2; r.i = s.toBool() ? 1 : 0; r.d = static_cast<double>(r.i); }
    else if (s.isIntegral(false)) { r.kind = 1; r.i = s.toLong(); r.d = static_cast<double>(r.i); }
    else { r.kind = 0; r.d = s.toDouble(); r.i = static_cast<int64_t>(r.d); }
    return r;
}

torch::TensorOptions options(int32_t dtype, int32_t device_type, int32_t device_index, int32_t requires_grad);
torch::Device device(int32_t device_type, int32_t device_index);
c10::ScalarType dtype(int32_t code);
c10::MemoryFormat memory_format(int32_t code);
std::vector<torch::Tensor> tensors(const xr_tensor* handles, int32_t n);

}  // namespace xr

// Each export's body runs inside one XR_TRY: `XR_TRY(statements;)`.
#define XR_TRY(...) return ::xr::guard([&]() -> void { __VA_ARGS__ })
