using System.Runtime.InteropServices;

namespace XRay.Torch.Interop;

/// <summary>Owns a native name → tensor dictionary read from a pickled state dict.</summary>
internal sealed class DictHandle : SafeHandle
{
    public DictHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle() => NativeMethods.xr_dict_free(handle) == 0;
}
