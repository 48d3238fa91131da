using System.Runtime.InteropServices;

namespace XRay.Torch.Interop;

// Mirrors lib/native/src/tensor_math.cpp.
internal static unsafe partial class NativeMethods
{
    [LibraryImport(Lib)] internal static partial int xr_tensor_add(TensorHandle a, TensorHandle b, NativeScalar alpha, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_sub(TensorHandle a, TensorHandle b, NativeScalar alpha, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_mul(TensorHandle a, TensorHandle b, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_div(TensorHandle a, TensorHandle b, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_pow(TensorHandle a, TensorHandle b, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_matmul(TensorHandle a, TensorHandle b, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_maximum(TensorHandle a, TensorHandle b, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_minimum(TensorHandle a, TensorHandle b, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_add_scalar(TensorHandle a, NativeScalar b, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_sub_scalar(TensorHandle a, NativeScalar b, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_rsub_scalar(TensorHandle a, NativeScalar b, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_mul_scalar(TensorHandle a, NativeScalar b, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_div_scalar(TensorHandle a, NativeScalar b, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_rdiv_scalar(TensorHandle a, NativeScalar b, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_pow_scalar(TensorHandle a, NativeScalar b, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_compare(TensorHandle a, TensorHandle b, int op, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_compare_scalar(TensorHandle a, NativeScalar b, int op, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_where(TensorHandle condition, TensorHandle a, TensorHandle b, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_unary(TensorHandle t, int op, out TensorHandle result);
    [LibraryImport(Lib)]
    internal static partial int xr_tensor_clamp(TensorHandle t, NativeScalar min, int hasMin, NativeScalar max, int hasMax,
        out TensorHandle result);
    [LibraryImport(Lib)]
    internal static partial int xr_tensor_sum(TensorHandle t, ReadOnlySpan<long> dims, int ndim, int keepdim, int dtype,
        out TensorHandle result);
    [LibraryImport(Lib)]
    internal static partial int xr_tensor_mean(TensorHandle t, ReadOnlySpan<long> dims, int ndim, int keepdim, int dtype,
        out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_max_all(TensorHandle t, int op, out TensorHandle result);
    [LibraryImport(Lib)]
    internal static partial int xr_tensor_max_dim(TensorHandle t, int op, long dim, int keepdim, out TensorHandle values,
        out TensorHandle indices);
    [LibraryImport(Lib)]
    internal static partial int xr_tensor_argmax(TensorHandle t, int op, long dim, int hasDim, int keepdim, out TensorHandle result);
    [LibraryImport(Lib)]
    internal static partial int xr_tensor_std(TensorHandle t, ReadOnlySpan<long> dims, int ndim, int unbiased, int keepdim,
        int variance, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_softmax(TensorHandle t, long dim, int log, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_allclose(TensorHandle a, TensorHandle b, double rtol, double atol, int* result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_equal(TensorHandle a, TensorHandle b, int* result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_add_(TensorHandle t, TensorHandle other, NativeScalar alpha);
    [LibraryImport(Lib)] internal static partial int xr_tensor_add_scalar_(TensorHandle t, NativeScalar value);
    [LibraryImport(Lib)] internal static partial int xr_tensor_mul_scalar_(TensorHandle t, NativeScalar value);
    [LibraryImport(Lib)] internal static partial int xr_tensor_fill_(TensorHandle t, NativeScalar value);
    [LibraryImport(Lib)] internal static partial int xr_tensor_zero_(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int xr_tensor_copy_(TensorHandle t, TensorHandle src);
    [LibraryImport(Lib)] internal static partial int xr_tensor_uniform_(TensorHandle t, double low, double high);
    [LibraryImport(Lib)] internal static partial int xr_tensor_normal_(TensorHandle t, double mean, double std);
    [LibraryImport(Lib)] internal static partial int xr_tensor_clamp_(TensorHandle t, NativeScalar min, int hasMin, NativeScalar max, int hasMax);
}
