using System.Runtime.InteropServices;

namespace XRay.Torch.Interop;

/// <summary>Owns a native thread-local RAII guard (c10::InferenceMode).</summary>
internal sealed class GuardHandle : SafeHandle
{
    public GuardHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle() => NativeMethods.xr_autograd_inference_mode_exit(handle) == 0;
}
