using System.Runtime.InteropServices;

namespace XRay.Torch.Interop;

/// <summary>
/// The shape every handle shares: null is invalid, and the subclass frees the one native type it owns.
/// ReleaseHandle never throws; a failed free reports false, which the runtime treats as a leak, not a crash.
/// </summary>
internal abstract class NativeHandle : SafeHandle
{
    protected NativeHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    public override bool IsInvalid => handle == IntPtr.Zero;
}
