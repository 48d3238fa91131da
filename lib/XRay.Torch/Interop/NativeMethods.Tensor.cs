using System.Runtime.InteropServices;

namespace XRay.Torch.Interop;

// Mirrors lib/native/src/tensor.cpp.
internal static unsafe partial class NativeMethods
{
    [LibraryImport(Lib)] internal static partial int xr_tensor_free(IntPtr t);
    [LibraryImport(Lib)]
    internal static partial int xr_tensor_from_data(void* data, long nbytes, ReadOnlySpan<long> shape, int ndim,
        int dtype, int deviceType, int deviceIndex, int requiresGrad, out TensorHandle result);
    [LibraryImport(Lib)]
    internal static partial int xr_tensor_new(int kind, ReadOnlySpan<long> shape, int ndim, int dtype, int deviceType,
        int deviceIndex, int requiresGrad, out TensorHandle result);
    [LibraryImport(Lib)]
    internal static partial int xr_tensor_full(ReadOnlySpan<long> shape, int ndim, NativeScalar value, int dtype,
        int deviceType, int deviceIndex, int requiresGrad, out TensorHandle result);
    [LibraryImport(Lib)]
    internal static partial int xr_tensor_arange(NativeScalar start, NativeScalar end, NativeScalar step, int dtype,
        int deviceType, int deviceIndex, int requiresGrad, out TensorHandle result);
    [LibraryImport(Lib)]
    internal static partial int xr_tensor_randint(long low, long high, ReadOnlySpan<long> shape, int ndim, int dtype,
        int deviceType, int deviceIndex, out TensorHandle result);
    [LibraryImport(Lib)]
    internal static partial int xr_tensor_randperm(long n, int deviceType, int deviceIndex, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_ndim(TensorHandle t, int* ndim);
    [LibraryImport(Lib)] internal static partial int xr_tensor_sizes(TensorHandle t, long* sizes, int capacity);
    [LibraryImport(Lib)] internal static partial int xr_tensor_strides(TensorHandle t, long* strides, int capacity);
    [LibraryImport(Lib)] internal static partial int xr_tensor_numel(TensorHandle t, long* numel);
    [LibraryImport(Lib)] internal static partial int xr_tensor_dtype(TensorHandle t, int* dtype);
    [LibraryImport(Lib)] internal static partial int xr_tensor_device(TensorHandle t, int* deviceType, int* deviceIndex);
    [LibraryImport(Lib)] internal static partial int xr_tensor_element_size(TensorHandle t, int* size);
    [LibraryImport(Lib)] internal static partial int xr_tensor_copy_to(TensorHandle t, void* dst, long nbytes);
    [LibraryImport(Lib)] internal static partial int xr_tensor_data_ptr(TensorHandle t, void** ptr);
    [LibraryImport(Lib)] internal static partial int xr_tensor_item(TensorHandle t, NativeScalar* value);
    [LibraryImport(Lib)] internal static partial int xr_tensor_to_string(TensorHandle t, byte** text);
    [LibraryImport(Lib)]
    internal static partial int xr_tensor_to(TensorHandle t, int dtype, int deviceType, int deviceIndex,
        int nonBlocking, int copy, int memoryFormat, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_contiguous(TensorHandle t, int memoryFormat, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_is_contiguous(TensorHandle t, int memoryFormat, int* result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_clone(TensorHandle t, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_alias(TensorHandle t, out TensorHandle result);
}
