using XRay.Torch.Interop;

namespace XRay.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// A tensor a module learns. It is a leaf that requires grad, and it belongs to its module:
        /// no DisposeScope tracks it, and the module's Dispose frees it.
        /// </summary>
        public sealed class Parameter : Tensor
        {
            public Parameter(Tensor data, bool requires_grad = true) : base(Detached(data), track: false)
            {
                this.requires_grad = requires_grad;
            }

            private static TensorHandle Detached(Tensor data)
            {
                var status = NativeMethods.xr_tensor_detach(data.Handle, out var handle);
                if (status != 0)
                {
                    handle.Dispose();
                    NativeError.ThrowIfFailed(status);
                }
                return handle;
            }
        }
    }
}
