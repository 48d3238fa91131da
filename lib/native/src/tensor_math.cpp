// Arithmetic, comparisons, element-wise functions and reductions.
#include "common.h"

using namespace xr;

namespace {
c10::OptionalIntArrayRef dims_or_all(const int64_t* dims, int32_t n) {
    if (n == 0) return c10::nullopt;
    return ints(dims, n);
}

c10::optional<c10::ScalarType> maybe_dtype(int32_t code) {
    if (code < 0) return c10::nullopt;
    return xr::dtype(code);
}

// Other is a Tensor or a Scalar: at::Tensor has both overloads of every comparison.
template <typename Other>
torch::Tensor compare(const torch::Tensor& a, const Other& b, int32_t op) {
    switch (op) {
        case 0: return a.eq(b);
        case 1: return a.ne(b);
        case 2: return a.lt(b);
        case 3: return a.le(b);
        case 4: return a.gt(b);
        case 5: return a.ge(b);
        default: throw ArgumentError("unknown comparison " + std::to_string(op));
    }
}

torch::Tensor unary(const torch::Tensor& x, int32_t op) {
    switch (op) {
        case 0: return x.neg();
        case 1: return x.abs();
        case 2: return x.exp();
        case 3: return x.log();
        case 4: return x.sqrt();
        case 5: return x.tanh();
        case 6: return x.sigmoid();
        case 7: return x.relu();
        case 8: return x.floor();
        case 9: return x.ceil();
        case 10: return x.round();
        case 11: return x.sign();
        case 12: return x.logical_not();
        case 13: return x.square();
        case 14: return x.sin();
        case 15: return x.cos();
        case 16: return torch::hardtanh(x, 0.0, 6.0);
        case 17: return x.log1p();
        default: throw ArgumentError("unknown element-wise function " + std::to_string(op));
    }
}

c10::optional<c10::Scalar> bound(const xr_scalar& s, int32_t has) {
    if (!has) return c10::nullopt;
    return scalar(s);
}
}  // namespace

extern "C" {

int32_t xr_tensor_add(xr_tensor a, xr_tensor b, xr_scalar alpha, xr_tensor* out) {
    XR_TRY(put(out, T(a).add(T(b), scalar(alpha))););
}
int32_t xr_tensor_sub(xr_tensor a, xr_tensor b, xr_scalar alpha, xr_tensor* out) {
    XR_TRY(put(out, T(a).sub(T(b), scalar(alpha))););
}
int32_t xr_tensor_mul(xr_tensor a, xr_tensor b, xr_tensor* out) { XR_TRY(put(out, T(a).mul(T(b)));); }
int32_t xr_tensor_div(xr_tensor a, xr_tensor b, xr_tensor* out) { XR_TRY(put(out, T(a).div(T(b)));); }
int32_t xr_tensor_pow(xr_tensor a, xr_tensor b, xr_tensor* out) { XR_TRY(put(out, T(a).pow(T(b)));); }
int32_t xr_tensor_matmul(xr_tensor a, xr_tensor b, xr_tensor* out) { XR_TRY(put(out, T(a).matmul(T(b)));); }
int32_t xr_tensor_maximum(xr_tensor a, xr_tensor b, xr_tensor* out) { XR_TRY(put(out, T(a).maximum(T(b)));); }
int32_t xr_tensor_minimum(xr_tensor a, xr_tensor b, xr_tensor* out) { XR_TRY(put(out, T(a).minimum(T(b)));); }

int32_t xr_tensor_add_scalar(xr_tensor a, xr_scalar b, xr_tensor* out) { XR_TRY(put(out, T(a).add(scalar(b)));); }
int32_t xr_tensor_sub_scalar(xr_tensor a, xr_scalar b, xr_tensor* out) { XR_TRY(put(out, T(a).sub(scalar(b)));); }
int32_t xr_tensor_rsub_scalar(xr_tensor a, xr_scalar b, xr_tensor* out) {
    XR_TRY(put(out, torch::rsub(T(a), scalar(b))););
}
int32_t xr_tensor_mul_scalar(xr_tensor a, xr_scalar b, xr_tensor* out) { XR_TRY(put(out, T(a).mul(scalar(b)));); }
int32_t xr_tensor_div_scalar(xr_tensor a, xr_scalar b, xr_tensor* out) { XR_TRY(put(out, T(a).div(scalar(b)));); }
int32_t xr_tensor_rdiv_scalar(xr_tensor a, xr_scalar b, xr_tensor* out) {
    XR_TRY(put(out, T(a).reciprocal().mul(scalar(b))););
}
int32_t xr_tensor_pow_scalar(xr_tensor a, xr_scalar b, xr_tensor* out) { XR_TRY(put(out, T(a).pow(scalar(b)));); }

int32_t xr_tensor_compare(xr_tensor a, xr_tensor b, int32_t op, xr_tensor* out) {
    XR_TRY(put(out, compare(T(a), T(b), op)););
}
int32_t xr_tensor_compare_scalar(xr_tensor a, xr_scalar b, int32_t op, xr_tensor* out) {
    XR_TRY(put(out, compare(T(a), scalar(b), op)););
}
int32_t xr_tensor_where(xr_tensor condition, xr_tensor a, xr_tensor b, xr_tensor* out) {
    XR_TRY(put(out, torch::where(T(condition), T(a), T(b))););
}

int32_t xr_tensor_unary(xr_tensor t, int32_t op, xr_tensor* out) { XR_TRY(put(out, unary(T(t), op));); }

int32_t xr_tensor_clamp(xr_tensor t, xr_scalar min, int32_t has_min, xr_scalar max, int32_t has_max,
                        xr_tensor* out) {
    XR_TRY(put(out, T(t).clamp(bound(min, has_min), bound(max, has_max))););
}

int32_t xr_tensor_sum(xr_tensor t, const int64_t* dims, int32_t ndim, int32_t keepdim, int32_t dtype,
                      xr_tensor* out) {
    XR_TRY(put(out, ndim == 0 && !keepdim ? T(t).sum(maybe_dtype(dtype))
                                          : T(t).sum(dims_or_all(dims, ndim), keepdim != 0, maybe_dtype(dtype))););
}

int32_t xr_tensor_mean(xr_tensor t, const int64_t* dims, int32_t ndim, int32_t keepdim, int32_t dtype,
                       xr_tensor* out) {
    XR_TRY(put(out, ndim == 0 && !keepdim ? T(t).mean(maybe_dtype(dtype))
                                          : T(t).mean(dims_or_all(dims, ndim), keepdim != 0, maybe_dtype(dtype))););
}

int32_t xr_tensor_max_all(xr_tensor t, int32_t op, xr_tensor* out) {
    XR_TRY(put(out, op == 0 ? T(t).max() : T(t).min()););
}

int32_t xr_tensor_max_dim(xr_tensor t, int32_t op, int64_t dim, int32_t keepdim, xr_tensor* values,
                          xr_tensor* indices) {
    XR_TRY(
        auto r = op == 0 ? T(t).max(dim, keepdim != 0) : T(t).min(dim, keepdim != 0);
        put(values, std::get<0>(r));
        put(indices, std::get<1>(r));
    );
}

int32_t xr_tensor_argmax(xr_tensor t, int32_t op, int64_t dim, int32_t has_dim, int32_t keepdim, xr_tensor* out) {
    XR_TRY(
        c10::optional<int64_t> d = has_dim ? c10::optional<int64_t>(dim) : c10::nullopt;
        put(out, op == 0 ? T(t).argmax(d, keepdim != 0) : T(t).argmin(d, keepdim != 0));
    );
}

int32_t xr_tensor_std(xr_tensor t, const int64_t* dims, int32_t ndim, int32_t unbiased, int32_t keepdim,
                      int32_t variance, xr_tensor* out) {
    XR_TRY(
        auto d = dims_or_all(dims, ndim);
        put(out, variance ? T(t).var(d, unbiased != 0, keepdim != 0) : T(t).std(d, unbiased != 0, keepdim != 0));
    );
}

int32_t xr_tensor_softmax(xr_tensor t, int64_t dim, int32_t log, xr_tensor* out) {
    XR_TRY(put(out, log ? T(t).log_softmax(dim) : T(t).softmax(dim)););
}

int32_t xr_tensor_allclose(xr_tensor a, xr_tensor b, double rtol, double atol, int32_t* result) {
    XR_TRY(require(result, "result"); *result = T(a).allclose(T(b), rtol, atol) ? 1 : 0;);
}

int32_t xr_tensor_equal(xr_tensor a, xr_tensor b, int32_t* result) {
    XR_TRY(require(result, "result"); *result = T(a).equal(T(b)) ? 1 : 0;);
}

int32_t xr_tensor_add_(xr_tensor t, xr_tensor other, xr_scalar alpha) {
    XR_TRY(T(t).add_(T(other), scalar(alpha)););
}
int32_t xr_tensor_add_scalar_(xr_tensor t, xr_scalar value) { XR_TRY(T(t).add_(scalar(value));); }
int32_t xr_tensor_mul_scalar_(xr_tensor t, xr_scalar value) { XR_TRY(T(t).mul_(scalar(value));); }
int32_t xr_tensor_fill_(xr_tensor t, xr_scalar value) { XR_TRY(T(t).fill_(scalar(value));); }
int32_t xr_tensor_zero_(xr_tensor t) { XR_TRY(T(t).zero_();); }
int32_t xr_tensor_copy_(xr_tensor t, xr_tensor src) { XR_TRY(T(t).copy_(T(src));); }
int32_t xr_tensor_uniform_(xr_tensor t, double low, double high) { XR_TRY(T(t).uniform_(low, high);); }
int32_t xr_tensor_normal_(xr_tensor t, double mean, double std) { XR_TRY(T(t).normal_(mean, std);); }
int32_t xr_tensor_clamp_(xr_tensor t, xr_scalar min, int32_t has_min, xr_scalar max, int32_t has_max) {
    XR_TRY(T(t).clamp_(bound(min, has_min), bound(max, has_max)););
}

}  // extern "C"
