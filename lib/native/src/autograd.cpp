// Autograd: requires_grad, backward, gradients, grad mode and inference mode.
#include "common.h"

using namespace xr;

extern "C" {

int32_t xr_tensor_requires_grad(xr_tensor t, int32_t* result) {
    XR_TRY(require(result, "result"); *result = T(t).requires_grad() ? 1 : 0;);
}

int32_t xr_tensor_set_requires_grad(xr_tensor t, int32_t requires_grad) {
    XR_TRY(T(t).requires_grad_(requires_grad != 0););
}

int32_t xr_tensor_is_leaf(xr_tensor t, int32_t* result) {
    XR_TRY(require(result, "result"); *result = T(t).is_leaf() ? 1 : 0;);
}

int32_t xr_tensor_backward(xr_tensor t, xr_tensor gradient, int32_t retain_graph, int32_t create_graph) {
    XR_TRY(
        c10::optional<bool> retain = retain_graph ? c10::optional<bool>(true) : c10::nullopt;
        T(t).backward(opt(gradient), retain, create_graph != 0);
    );
}

int32_t xr_tensor_grad(xr_tensor t, xr_tensor* out) {
    XR_TRY(
        require(out, "out");
        const auto& g = T(t).grad();
        if (g.defined()) put(out, g);
        else *out = nullptr;
    );
}

int32_t xr_tensor_zero_grad(xr_tensor t, int32_t set_to_none) {
    XR_TRY(
        auto& g = T(t).mutable_grad();
        if (g.defined()) {
            if (set_to_none) g.reset();
            else g.detach_().zero_();
        }
    );
}

int32_t xr_tensor_detach(xr_tensor t, xr_tensor* out) { XR_TRY(put(out, T(t).detach());); }

int32_t xr_tensor_set_data(xr_tensor t, xr_tensor src) { XR_TRY(T(t).set_data(T(src));); }

int32_t xr_autograd_set_grad_enabled(int32_t enabled, int32_t* previous) {
    XR_TRY(
        if (previous != nullptr) *previous = at::GradMode::is_enabled() ? 1 : 0;
        at::GradMode::set_enabled(enabled != 0);
    );
}

int32_t xr_autograd_is_grad_enabled(int32_t* enabled) {
    XR_TRY(require(enabled, "enabled"); *enabled = at::GradMode::is_enabled() ? 1 : 0;);
}

int32_t xr_autograd_inference_mode_enter(xr_guard* out) {
    XR_TRY(require(out, "out"); *out = reinterpret_cast<xr_guard>(new c10::InferenceMode(true)););
}

int32_t xr_autograd_inference_mode_exit(xr_guard guard) {
    XR_TRY(delete reinterpret_cast<c10::InferenceMode*>(guard););
}

int32_t xr_autograd_is_inference_mode(int32_t* enabled) {
    XR_TRY(require(enabled, "enabled"); *enabled = c10::InferenceMode::is_enabled() ? 1 : 0;);
}

}  // extern "C"
