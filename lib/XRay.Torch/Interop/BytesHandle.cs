namespace XRay.Torch.Interop;

/// <summary>Owns a native byte buffer (a pickled state dict or optimizer state).</summary>
internal sealed class BytesHandle : NativeHandle
{
    protected override bool ReleaseHandle() => NativeMethods.xr_bytes_free(handle) == 0;

    /// <summary>Copies the buffer into managed memory.</summary>
    public unsafe byte[] ToArray()
    {
        void* data;
        long length;
        NativeError.ThrowIfFailed(NativeMethods.xr_bytes_data(this, &data, &length));
        return new ReadOnlySpan<byte>(data, checked((int)length)).ToArray();
    }
}
