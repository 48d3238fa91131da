// Optimizers: libtorch's own implementations over the parameters the C# side passes in.
#include "common.h"
#include "bytes.h"

#include <sstream>

using namespace xr;

namespace {
torch::optim::Optimizer& O(xr_optimizer o) {
    if (o == nullptr) throw ArgumentError("optimizer handle is null");
    return *reinterpret_cast<torch::optim::Optimizer*>(o);
}

void check_lr(double lr) {
    if (!(lr >= 0.0)) throw ArgumentError("learning rate must be >= 0, got " + std::to_string(lr));
}

template <typename Opt, typename Options>
void create(const xr_tensor* params, int32_t n, Options options, xr_optimizer* out) {
    require(out, "out");
    auto list = tensors(params, n);
    if (list.empty()) throw ArgumentError("optimizer got an empty parameter list");
    for (const auto& p : list)
        if (!p.is_leaf()) throw ArgumentError("optimizer parameters must be leaf tensors");
    *out = reinterpret_cast<xr_optimizer>(static_cast<torch::optim::Optimizer*>(new Opt(list, options)));
}
// Adam and AdamW take the same options; AdamW decouples the weight decay.
template <typename Opt, typename Options>
void create_adam(const xr_tensor* params, int32_t n, double lr, double beta1, double beta2, double eps,
                 double weight_decay, int32_t amsgrad, xr_optimizer* out) {
    check_lr(lr);
    create<Opt>(params, n,
                Options(lr).betas(std::make_tuple(beta1, beta2)).eps(eps).weight_decay(weight_decay).amsgrad(amsgrad != 0),
                out);
}
}  // namespace

extern "C" {

int32_t xr_optim_sgd_new(const xr_tensor* params, int32_t n, double lr, double momentum, double dampening,
                         double weight_decay, int32_t nesterov, xr_optimizer* out) {
    XR_TRY(
        check_lr(lr);
        if (nesterov && (momentum <= 0.0 || dampening != 0.0))
            throw ArgumentError("Nesterov momentum requires a momentum > 0 and zero dampening");
        create<torch::optim::SGD>(params, n,
                                  torch::optim::SGDOptions(lr).momentum(momentum).dampening(dampening)
                                      .weight_decay(weight_decay).nesterov(nesterov != 0),
                                  out);
    );
}

int32_t xr_optim_adam_new(const xr_tensor* params, int32_t n, double lr, double beta1, double beta2, double eps,
                          double weight_decay, int32_t amsgrad, xr_optimizer* out) {
    XR_TRY(create_adam<torch::optim::Adam, torch::optim::AdamOptions>(params, n, lr, beta1, beta2, eps, weight_decay,
                                                                       amsgrad, out););
}

int32_t xr_optim_adamw_new(const xr_tensor* params, int32_t n, double lr, double beta1, double beta2, double eps,
                           double weight_decay, int32_t amsgrad, xr_optimizer* out) {
    XR_TRY(create_adam<torch::optim::AdamW, torch::optim::AdamWOptions>(params, n, lr, beta1, beta2, eps, weight_decay,
                                                                         amsgrad, out););
}

int32_t xr_optim_rmsprop_new(const xr_tensor* params, int32_t n, double lr, double alpha, double eps,
                             double weight_decay, double momentum, int32_t centered, xr_optimizer* out) {
    XR_TRY(
        check_lr(lr);
        create<torch::optim::RMSprop>(params, n,
                                      torch::optim::RMSpropOptions(lr).alpha(alpha).eps(eps)
                                          .weight_decay(weight_decay).momentum(momentum).centered(centered != 0),
                                      out);
    );
}

int32_t xr_optim_free(xr_optimizer opt) { XR_TRY(delete reinterpret_cast<torch::optim::Optimizer*>(opt);); }

int32_t xr_optim_step(xr_optimizer opt) { XR_TRY(O(opt).step();); }

int32_t xr_optim_zero_grad(xr_optimizer opt) {
    // Zeroing in place (not set_to_none) keeps gradients allocated between steps.
    XR_TRY(
        for (auto& group : O(opt).param_groups())
            for (auto& p : group.params())
                if (p.mutable_grad().defined()) p.mutable_grad().detach_().zero_();
    );
}

int32_t xr_optim_get_lr(xr_optimizer opt, double* lr) {
    XR_TRY(
        require(lr, "lr");
        auto& groups = O(opt).param_groups();
        if (groups.empty()) throw ArgumentError("optimizer has no parameter groups");
        *lr = groups.front().options().get_lr();
    );
}

int32_t xr_optim_set_lr(xr_optimizer opt, double lr) {
    XR_TRY(
        check_lr(lr);
        for (auto& group : O(opt).param_groups()) group.options().set_lr(lr);
    );
}

int32_t xr_optim_state_save(xr_optimizer opt, xr_bytes* out) {
    XR_TRY(
        require(out, "out");
        torch::serialize::OutputArchive archive;
        O(opt).save(archive);
        std::ostringstream stream;
        archive.save_to(stream);
        *out = make_bytes(stream.str());
    );
}

int32_t xr_optim_state_load(xr_optimizer opt, const void* data, int64_t length) {
    XR_TRY(
        if (length <= 0 || data == nullptr) throw ArgumentError("optimizer state is empty");
        std::istringstream stream(std::string(static_cast<const char*>(data), static_cast<size_t>(length)));
        torch::serialize::InputArchive archive;
        archive.load_from(stream);
        O(opt).load(archive);
    );
}

}  // extern "C"
