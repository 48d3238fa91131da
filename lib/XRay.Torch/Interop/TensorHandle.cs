using System.Runtime.InteropServices;

namespace XRay.Torch.Interop;

/// <summary>Owns one native <c>torch::Tensor</c>.</summary>
internal sealed class TensorHandle : SafeHandle
{
    /// <summary>Passed where an optional tensor is absent; it is never released.</summary>
    public static readonly TensorHandle Null = new();

    public TensorHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle() => NativeMethods.xr_tensor_free(handle) == 0;
}
