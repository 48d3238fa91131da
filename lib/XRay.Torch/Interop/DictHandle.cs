namespace XRay.Torch.Interop;

/// <summary>Owns a native name → tensor dictionary read from a pickled state dict.</summary>
internal sealed class DictHandle : NativeHandle
{
    protected override bool ReleaseHandle() => NativeMethods.xr_dict_free(handle) == 0;
}
