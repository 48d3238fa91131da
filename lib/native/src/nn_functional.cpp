// The functional forms of the layers and losses; modules are composed on the C# side.
#include "common.h"

using namespace xr;

namespace {
c10::IntArrayRef pair(const int64_t* p, const char* name) {
    if (p == nullptr) throw ArgumentError(std::string(name) + " is null");
    return c10::IntArrayRef(p, 2);
}

int64_t reduction(int32_t r) {
    if (r < 0 || r > 2) throw ArgumentError("reduction must be 0 (none), 1 (mean) or 2 (sum), got " + std::to_string(r));
    return r;
}

c10::optional<torch::Tensor> maybe(xr_tensor t) {
    if (t == nullptr) return c10::nullopt;
    return T(t);
}
}  // namespace

extern "C" {

int32_t xr_nn_conv2d(xr_tensor input, xr_tensor weight, xr_tensor bias, const int64_t* stride,
                     const int64_t* padding, const int64_t* dilation, int64_t groups, xr_tensor* out) {
    XR_TRY(put(out, torch::conv2d(T(input), T(weight), opt(bias), pair(stride, "stride"), pair(padding, "padding"),
                                  pair(dilation, "dilation"), groups)););
}

int32_t xr_nn_linear(xr_tensor input, xr_tensor weight, xr_tensor bias, xr_tensor* out) {
    XR_TRY(put(out, torch::linear(T(input), T(weight), opt(bias))););
}

int32_t xr_nn_max_pool2d(xr_tensor input, const int64_t* kernel, const int64_t* stride, const int64_t* padding,
                         const int64_t* dilation, int32_t ceil_mode, xr_tensor* out) {
    XR_TRY(put(out, torch::max_pool2d(T(input), pair(kernel, "kernel"), pair(stride, "stride"),
                                      pair(padding, "padding"), pair(dilation, "dilation"), ceil_mode != 0)););
}

int32_t xr_nn_avg_pool2d(xr_tensor input, const int64_t* kernel, const int64_t* stride, const int64_t* padding,
                         int32_t ceil_mode, int32_t count_include_pad, xr_tensor* out) {
    XR_TRY(put(out, torch::avg_pool2d(T(input), pair(kernel, "kernel"), pair(stride, "stride"),
                                      pair(padding, "padding"), ceil_mode != 0, count_include_pad != 0)););
}

int32_t xr_nn_adaptive_avg_pool2d(xr_tensor input, const int64_t* output_size, xr_tensor* out) {
    XR_TRY(put(out, torch::adaptive_avg_pool2d(T(input), pair(output_size, "output_size"))););
}

int32_t xr_nn_adaptive_max_pool2d(xr_tensor input, const int64_t* output_size, xr_tensor* out) {
    XR_TRY(put(out, std::get<0>(torch::adaptive_max_pool2d(T(input), pair(output_size, "output_size")))););
}

int32_t xr_nn_batch_norm(xr_tensor input, xr_tensor weight, xr_tensor bias, xr_tensor running_mean,
                         xr_tensor running_var, int32_t training, double momentum, double eps, xr_tensor* out) {
    XR_TRY(put(out, torch::batch_norm(T(input), maybe(weight), maybe(bias), maybe(running_mean), maybe(running_var),
                                      training != 0, momentum, eps, at::globalContext().userEnabledCuDNN())););
}

int32_t xr_nn_dropout(xr_tensor input, double p, int32_t training, xr_tensor* out) {
    XR_TRY(
        if (p < 0.0 || p > 1.0) throw ArgumentError("dropout probability must be in [0, 1], got " + std::to_string(p));
        put(out, torch::dropout(T(input), p, training != 0));
    );
}

int32_t xr_nn_gelu(xr_tensor input, int32_t approximate, xr_tensor* out) {
    XR_TRY(put(out, torch::gelu(T(input), approximate ? "tanh" : "none")););
}

int32_t xr_nn_leaky_relu(xr_tensor input, double negative_slope, xr_tensor* out) {
    XR_TRY(put(out, torch::leaky_relu(T(input), negative_slope)););
}

int32_t xr_nn_cross_entropy(xr_tensor input, xr_tensor target, xr_tensor weight, int32_t r, int64_t ignore_index,
                            double label_smoothing, xr_tensor* out) {
    XR_TRY(put(out, torch::cross_entropy_loss(T(input), T(target), maybe(weight), reduction(r), ignore_index,
                                              label_smoothing)););
}

int32_t xr_nn_nll_loss(xr_tensor input, xr_tensor target, xr_tensor weight, int32_t r, int64_t ignore_index,
                       xr_tensor* out) {
    XR_TRY(put(out, torch::nll_loss_nd(T(input), T(target), maybe(weight), reduction(r), ignore_index)););
}

int32_t xr_nn_binary_cross_entropy(xr_tensor input, xr_tensor target, xr_tensor weight, int32_t r, xr_tensor* out) {
    XR_TRY(put(out, torch::binary_cross_entropy(T(input), T(target), maybe(weight), reduction(r))););
}

int32_t xr_nn_binary_cross_entropy_with_logits(xr_tensor input, xr_tensor target, xr_tensor weight,
                                               xr_tensor pos_weight, int32_t r, xr_tensor* out) {
    XR_TRY(put(out, torch::binary_cross_entropy_with_logits(T(input), T(target), maybe(weight), maybe(pos_weight),
                                                            reduction(r))););
}

int32_t xr_nn_mse_loss(xr_tensor input, xr_tensor target, int32_t r, xr_tensor* out) {
    XR_TRY(put(out, torch::mse_loss(T(input), T(target), reduction(r))););
}

}  // extern "C"
