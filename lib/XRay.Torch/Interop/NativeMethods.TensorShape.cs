using System.Runtime.InteropServices;

namespace XRay.Torch.Interop;

// Mirrors lib/native/src/tensor_shape.cpp.
internal static unsafe partial class NativeMethods
{
    [LibraryImport(Lib)] internal static partial int xr_tensor_reshape(TensorHandle t, ReadOnlySpan<long> shape, int ndim, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_view(TensorHandle t, ReadOnlySpan<long> shape, int ndim, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_permute(TensorHandle t, ReadOnlySpan<long> dims, int ndim, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_transpose(TensorHandle t, long dim0, long dim1, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_flatten(TensorHandle t, long startDim, long endDim, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_squeeze(TensorHandle t, long dim, int all, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_unsqueeze(TensorHandle t, long dim, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_expand(TensorHandle t, ReadOnlySpan<long> shape, int ndim, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_cat(IntPtr[] tensors, int n, long dim, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_stack(IntPtr[] tensors, int n, long dim, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_select(TensorHandle t, long dim, long index, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_narrow(TensorHandle t, long dim, long start, long length, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_slice(TensorHandle t, long dim, long start, long end, long step, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_index_select(TensorHandle t, long dim, TensorHandle index, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_masked_select(TensorHandle t, TensorHandle mask, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_index(TensorHandle t, ReadOnlySpan<long> spec, int n, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_index_put(TensorHandle t, ReadOnlySpan<long> spec, int n, TensorHandle value);
}
