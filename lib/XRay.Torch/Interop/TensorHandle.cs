namespace XRay.Torch.Interop;

/// <summary>Owns one native <c>torch::Tensor</c>.</summary>
internal sealed class TensorHandle : NativeHandle
{
    /// <summary>Passed where an optional tensor is absent; it is never released.</summary>
    public static readonly TensorHandle Null = new();

    protected override bool ReleaseHandle() => NativeMethods.xr_tensor_free(handle) == 0;
}
