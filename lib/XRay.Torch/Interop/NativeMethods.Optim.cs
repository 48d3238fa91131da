using System.Runtime.InteropServices;

namespace XRay.Torch.Interop;

// Mirrors lib/native/src/optim.cpp.
internal static unsafe partial class NativeMethods
{
    [LibraryImport(Lib)]
    internal static partial int xr_optim_sgd_new(IntPtr[] parameters, int n, double lr, double momentum, double dampening,
        double weightDecay, int nesterov, out OptimizerHandle result);
    [LibraryImport(Lib)]
    internal static partial int xr_optim_adam_new(IntPtr[] parameters, int n, double lr, double beta1, double beta2,
        double eps, double weightDecay, int amsgrad, out OptimizerHandle result);
    [LibraryImport(Lib)]
    internal static partial int xr_optim_adamw_new(IntPtr[] parameters, int n, double lr, double beta1, double beta2,
        double eps, double weightDecay, int amsgrad, out OptimizerHandle result);
    [LibraryImport(Lib)]
    internal static partial int xr_optim_rmsprop_new(IntPtr[] parameters, int n, double lr, double alpha, double eps,
        double weightDecay, double momentum, int centered, out OptimizerHandle result);
    [LibraryImport(Lib)] internal static partial int xr_optim_free(IntPtr opt);
    [LibraryImport(Lib)] internal static partial int xr_optim_step(OptimizerHandle opt);
    [LibraryImport(Lib)] internal static partial int xr_optim_zero_grad(OptimizerHandle opt);
    [LibraryImport(Lib)] internal static partial int xr_optim_get_lr(OptimizerHandle opt, double* lr);
    [LibraryImport(Lib)] internal static partial int xr_optim_set_lr(OptimizerHandle opt, double lr);
    [LibraryImport(Lib)] internal static partial int xr_optim_state_save(OptimizerHandle opt, out BytesHandle result);
    [LibraryImport(Lib)] internal static partial int xr_optim_state_load(OptimizerHandle opt, void* data, long length);
}
