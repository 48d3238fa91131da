namespace XRay.Torch.Interop;

/// <summary>Owns one native <c>torch::optim::Optimizer</c>.</summary>
internal sealed class OptimizerHandle : NativeHandle
{
    protected override bool ReleaseHandle() => NativeMethods.xr_optim_free(handle) == 0;
}
