using XRay.Torch.Interop;

namespace XRay.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        public unsafe bool requires_grad
        {
            get
            {
                int result;
                NativeError.ThrowIfFailed(NativeMethods.xr_tensor_requires_grad(Handle, &result));
                return result != 0;
            }
            set => NativeError.ThrowIfFailed(NativeMethods.xr_tensor_set_requires_grad(Handle, value ? 1 : 0));
        }

        public Tensor requires_grad_(bool requires_grad = true)
        {
            this.requires_grad = requires_grad;
            return this;
        }

        public unsafe bool is_leaf
        {
            get
            {
                int result;
                NativeError.ThrowIfFailed(NativeMethods.xr_tensor_is_leaf(Handle, &result));
                return result != 0;
            }
        }

        /// <summary>The accumulated gradient, or null before the first backward. Each read is a new handle.</summary>
        public Tensor? grad
        {
            get
            {
                var status = NativeMethods.xr_tensor_grad(Handle, out var r);
                if (status != 0 || r.IsInvalid)
                {
                    r.Dispose();
                    NativeError.ThrowIfFailed(status);
                    return null;
                }
                return new Tensor(r);
            }
        }

        /// <summary>Back-propagates from this tensor (a scalar unless <paramref name="gradient"/> is given).</summary>
        public void backward(Tensor? gradient = null, bool retain_graph = false, bool create_graph = false) =>
            NativeError.ThrowIfFailed(NativeMethods.xr_tensor_backward(Handle, gradient?.Handle ?? TensorHandle.Null,
                retain_graph ? 1 : 0, create_graph ? 1 : 0));

        /// <summary>The same data, cut from the autograd graph.</summary>
        public Tensor detach() => From(NativeMethods.xr_tensor_detach(Handle, out var r), r);

        public Tensor clone() => From(NativeMethods.xr_tensor_clone(Handle, out var r), r);

        /// <summary>Clears the gradient: to zero in place, or drops it when set_to_none.</summary>
        public void zero_grad(bool set_to_none = false) =>
            NativeError.ThrowIfFailed(NativeMethods.xr_tensor_zero_grad(Handle, set_to_none ? 1 : 0));

        /// <summary>Replaces this tensor's data with the source's, keeping its identity (as Python's p.data = x).</summary>
        internal void set_data(Tensor source) => NativeError.ThrowIfFailed(NativeMethods.xr_tensor_set_data(Handle, source.Handle));
    }
}
