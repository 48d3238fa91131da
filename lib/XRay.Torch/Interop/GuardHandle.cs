namespace XRay.Torch.Interop;

/// <summary>Owns a native thread-local RAII guard (c10::InferenceMode).</summary>
internal sealed class GuardHandle : NativeHandle
{
    protected override bool ReleaseHandle() => NativeMethods.xr_autograd_inference_mode_exit(handle) == 0;
}
