using XRay.Torch.Interop;

namespace XRay.Torch;

public static partial class torch
{
    /// <summary>Optimizer factories with PyTorch's names and defaults.</summary>
    public static partial class optim
    {
        private static OptimizerHandle Checked(int status, OptimizerHandle handle)
        {
            if (status != 0)
            {
                handle.Dispose();
                NativeError.ThrowIfFailed(status);
            }
            return handle;
        }

        /// <summary>Stochastic gradient descent, with optional (Nesterov) momentum.</summary>
        public static Optimizer SGD(IEnumerable<nn.Parameter> parameters, double lr, double momentum = 0, double dampening = 0,
            double weight_decay = 0, bool nesterov = false) =>
            new("SGD", parameters.ToArray(), p => Checked(
                NativeMethods.xr_optim_sgd_new(p, p.Length, lr, momentum, dampening, weight_decay, nesterov ? 1 : 0, out var h), h));

        /// <summary>Adam; weight_decay is the classic L2 penalty added to the gradient.</summary>
        public static Optimizer Adam(IEnumerable<nn.Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
            double eps = 1e-8, double weight_decay = 0, bool amsgrad = false) =>
            new("Adam", parameters.ToArray(), p => Checked(
                NativeMethods.xr_optim_adam_new(p, p.Length, lr, beta1, beta2, eps, weight_decay, amsgrad ? 1 : 0, out var h), h));

        /// <summary>Adam with decoupled weight decay.</summary>
        public static Optimizer AdamW(IEnumerable<nn.Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
            double eps = 1e-8, double weight_decay = 0.01, bool amsgrad = false) =>
            new("AdamW", parameters.ToArray(), p => Checked(
                NativeMethods.xr_optim_adamw_new(p, p.Length, lr, beta1, beta2, eps, weight_decay, amsgrad ? 1 : 0, out var h), h));

        public static Optimizer RMSprop(IEnumerable<nn.Parameter> parameters, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8,
            double weight_decay = 0, double momentum = 0, bool centered = false) =>
            new("RMSprop", parameters.ToArray(), p => Checked(
                NativeMethods.xr_optim_rmsprop_new(p, p.Length, lr, alpha, eps, weight_decay, momentum, centered ? 1 : 0, out var h), h));
    }
}
