// Reshaping, joining, slicing and Python-style indexing.
#include "common.h"

using namespace xr;
using torch::indexing::Slice;
using torch::indexing::TensorIndex;

namespace {
std::vector<TensorIndex> index_spec(const int64_t* spec, int32_t n) {
    auto flat = ints(spec, n * 4);
    std::vector<TensorIndex> result;
    result.reserve(static_cast<size_t>(n));
    // optional<int64_t> converts to the optional<SymInt> that libtorch 2.x's Slice takes.
    auto bound = [](int64_t v) -> c10::optional<int64_t> {
        if (v == XR_SLICE_NONE) return c10::nullopt;
        return v;
    };
    for (int32_t k = 0; k < n; ++k) {
        const int64_t kind = flat[4 * k], a = flat[4 * k + 1], b = flat[4 * k + 2], c = flat[4 * k + 3];
        switch (kind) {
            case 0: result.emplace_back(a); break;
            case 1: result.emplace_back(Slice(bound(a), bound(b), bound(c))); break;
            case 2: result.emplace_back(torch::indexing::Ellipsis); break;
            case 3: result.emplace_back(torch::indexing::None); break;
            default: throw ArgumentError("unknown index kind " + std::to_string(kind));
        }
    }
    return result;
}
}  // namespace

extern "C" {

int32_t xr_tensor_reshape(xr_tensor t, const int64_t* shape, int32_t ndim, xr_tensor* out) {
    XR_TRY(put(out, T(t).reshape(ints(shape, ndim))););
}

int32_t xr_tensor_view(xr_tensor t, const int64_t* shape, int32_t ndim, xr_tensor* out) {
    XR_TRY(put(out, T(t).view(ints(shape, ndim))););
}

int32_t xr_tensor_permute(xr_tensor t, const int64_t* dims, int32_t ndim, xr_tensor* out) {
    XR_TRY(put(out, T(t).permute(ints(dims, ndim))););
}

int32_t xr_tensor_transpose(xr_tensor t, int64_t dim0, int64_t dim1, xr_tensor* out) {
    XR_TRY(put(out, T(t).transpose(dim0, dim1)););
}

int32_t xr_tensor_flatten(xr_tensor t, int64_t start_dim, int64_t end_dim, xr_tensor* out) {
    XR_TRY(put(out, T(t).flatten(start_dim, end_dim)););
}

int32_t xr_tensor_squeeze(xr_tensor t, int64_t dim, int32_t all, xr_tensor* out) {
    XR_TRY(put(out, all ? T(t).squeeze() : T(t).squeeze(dim)););
}

int32_t xr_tensor_unsqueeze(xr_tensor t, int64_t dim, xr_tensor* out) {
    XR_TRY(put(out, T(t).unsqueeze(dim)););
}

int32_t xr_tensor_expand(xr_tensor t, const int64_t* shape, int32_t ndim, xr_tensor* out) {
    XR_TRY(put(out, T(t).expand(ints(shape, ndim))););
}

int32_t xr_tensor_cat(const xr_tensor* handles, int32_t n, int64_t dim, xr_tensor* out) {
    XR_TRY(put(out, torch::cat(tensors(handles, n), dim)););
}

int32_t xr_tensor_stack(const xr_tensor* handles, int32_t n, int64_t dim, xr_tensor* out) {
    XR_TRY(put(out, torch::stack(tensors(handles, n), dim)););
}

int32_t xr_tensor_select(xr_tensor t, int64_t dim, int64_t index, xr_tensor* out) {
    XR_TRY(put(out, T(t).select(dim, index)););
}

int32_t xr_tensor_narrow(xr_tensor t, int64_t dim, int64_t start, int64_t length, xr_tensor* out) {
    XR_TRY(put(out, T(t).narrow(dim, start, length)););
}

int32_t xr_tensor_slice(xr_tensor t, int64_t dim, int64_t start, int64_t end, int64_t step, xr_tensor* out) {
    XR_TRY(put(out, T(t).slice(dim, start, end, step)););
}

int32_t xr_tensor_index_select(xr_tensor t, int64_t dim, xr_tensor index, xr_tensor* out) {
    XR_TRY(put(out, T(t).index_select(dim, T(index))););
}

int32_t xr_tensor_masked_select(xr_tensor t, xr_tensor mask, xr_tensor* out) {
    XR_TRY(put(out, T(t).masked_select(T(mask))););
}

int32_t xr_tensor_index(xr_tensor t, const int64_t* spec, int32_t n, xr_tensor* out) {
    XR_TRY(put(out, T(t).index(index_spec(spec, n))););
}

int32_t xr_tensor_index_put(xr_tensor t, const int64_t* spec, int32_t n, xr_tensor value) {
    XR_TRY(T(t).index_put_(index_spec(spec, n), T(value)););
}

}  // extern "C"
