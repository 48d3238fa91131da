using System.Runtime.InteropServices;

namespace XRay.Torch.Interop;

/// <summary>Owns one native <c>torch::optim::Optimizer</c>.</summary>
internal sealed class OptimizerHandle : SafeHandle
{
    public OptimizerHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle() => NativeMethods.xr_optim_free(handle) == 0;
}
