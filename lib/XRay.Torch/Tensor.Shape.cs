using XRay.Torch.Interop;

namespace XRay.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        public Tensor reshape(params long[] shape) => From(NativeMethods.xr_tensor_reshape(Handle, shape, shape.Length, out var r), r);

        /// <summary>Like reshape, but never copies: fails when the memory layout does not allow it.</summary>
        public Tensor view(params long[] shape) => From(NativeMethods.xr_tensor_view(Handle, shape, shape.Length, out var r), r);

        public Tensor permute(params long[] dims) => From(NativeMethods.xr_tensor_permute(Handle, dims, dims.Length, out var r), r);

        public Tensor transpose(long dim0, long dim1) => From(NativeMethods.xr_tensor_transpose(Handle, dim0, dim1, out var r), r);

        /// <summary>The transpose of a 2-D tensor.</summary>
        public Tensor t() => transpose(0, 1);

        public Tensor flatten(long start_dim = 0, long end_dim = -1) =>
            From(NativeMethods.xr_tensor_flatten(Handle, start_dim, end_dim, out var r), r);

        public Tensor squeeze() => From(NativeMethods.xr_tensor_squeeze(Handle, 0, 1, out var r), r);

        public Tensor squeeze(long dim) => From(NativeMethods.xr_tensor_squeeze(Handle, dim, 0, out var r), r);

        public Tensor unsqueeze(long dim) => From(NativeMethods.xr_tensor_unsqueeze(Handle, dim, out var r), r);

        public Tensor expand(params long[] shape) => From(NativeMethods.xr_tensor_expand(Handle, shape, shape.Length, out var r), r);

        public Tensor select(long dim, long index) => From(NativeMethods.xr_tensor_select(Handle, dim, index, out var r), r);

        public Tensor narrow(long dim, long start, long length) =>
            From(NativeMethods.xr_tensor_narrow(Handle, dim, start, length, out var r), r);

        /// <summary>Elements start, start+step, ... before end along dim (end clamps to the size).</summary>
        public Tensor slice(long dim, long start, long end, long step = 1) =>
            From(NativeMethods.xr_tensor_slice(Handle, dim, start, end, step, out var r), r);

        public Tensor index_select(long dim, Tensor index) =>
            From(NativeMethods.xr_tensor_index_select(Handle, dim, index.Handle, out var r), r);

        public Tensor masked_select(Tensor mask) => From(NativeMethods.xr_tensor_masked_select(Handle, mask.Handle, out var r), r);

        /// <summary><c>t[i, j]</c>: integers select along the leading dimensions.</summary>
        public Tensor this[params long[] indices]
        {
            get => index(indices.Select(i => (TensorIndex)i).ToArray());
            set => index_put_(value, indices.Select(i => (TensorIndex)i).ToArray());
        }

        /// <summary><c>t[TensorIndex.Ellipsis, 1..3, TensorIndex.None]</c>, and C# ranges: <c>t[1..^1]</c>.</summary>
        public Tensor this[params TensorIndex[] indices]
        {
            get => index(indices);
            set => index_put_(value, indices);
        }

        public Tensor index(params TensorIndex[] indices)
        {
            var spec = TensorIndex.Encode(indices);
            return From(NativeMethods.xr_tensor_index(Handle, spec, indices.Length, out var r), r);
        }

        public Tensor index_put_(Tensor value, params TensorIndex[] indices)
        {
            var spec = TensorIndex.Encode(indices);
            NativeError.ThrowIfFailed(NativeMethods.xr_tensor_index_put(Handle, spec, indices.Length, value.Handle));
            return this;
        }

        public Tensor index_put_(Scalar value, params TensorIndex[] indices)
        {
            using var filled = full(Array.Empty<long>(), value, dtype, device);
            return index_put_(filled, indices);
        }
    }

    public static Tensor cat(IReadOnlyList<Tensor> tensors, long dim = 0)
    {
        using var list = new HandleList(tensors);
        return Tensor.From(NativeMethods.xr_tensor_cat(list.Pointers, list.Count, dim, out var r), r);
    }

    public static Tensor stack(IReadOnlyList<Tensor> tensors, long dim = 0)
    {
        using var list = new HandleList(tensors);
        return Tensor.From(NativeMethods.xr_tensor_stack(list.Pointers, list.Count, dim, out var r), r);
    }

    public static Tensor where(Tensor condition, Tensor x, Tensor y) =>
        Tensor.From(NativeMethods.xr_tensor_where(condition.Handle, x.Handle, y.Handle, out var r), r);
}
