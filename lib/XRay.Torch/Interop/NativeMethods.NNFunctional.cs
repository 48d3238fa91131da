using System.Runtime.InteropServices;

namespace XRay.Torch.Interop;

// Mirrors lib/native/src/nn_functional.cpp. Pairs are int64[2] (H, W).
internal static unsafe partial class NativeMethods
{
    [LibraryImport(Lib)]
    internal static partial int xr_nn_conv2d(TensorHandle input, TensorHandle weight, TensorHandle bias, long* stride,
        long* padding, long* dilation, long groups, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_nn_linear(TensorHandle input, TensorHandle weight, TensorHandle bias, out TensorHandle result);
    [LibraryImport(Lib)]
    internal static partial int xr_nn_max_pool2d(TensorHandle input, long* kernel, long* stride, long* padding,
        long* dilation, int ceilMode, out TensorHandle result);
    [LibraryImport(Lib)]
    internal static partial int xr_nn_avg_pool2d(TensorHandle input, long* kernel, long* stride, long* padding,
        int ceilMode, int countIncludePad, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_nn_adaptive_avg_pool2d(TensorHandle input, long* outputSize, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_nn_adaptive_max_pool2d(TensorHandle input, long* outputSize, out TensorHandle result);
    [LibraryImport(Lib)]
    internal static partial int xr_nn_batch_norm(TensorHandle input, TensorHandle weight, TensorHandle bias,
        TensorHandle runningMean, TensorHandle runningVar, int training, double momentum, double eps, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_nn_dropout(TensorHandle input, double p, int training, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_nn_gelu(TensorHandle input, int approximate, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_nn_leaky_relu(TensorHandle input, double negativeSlope, out TensorHandle result);
    [LibraryImport(Lib)]
    internal static partial int xr_nn_cross_entropy(TensorHandle input, TensorHandle target, TensorHandle weight,
        int reduction, long ignoreIndex, double labelSmoothing, out TensorHandle result);
    [LibraryImport(Lib)]
    internal static partial int xr_nn_nll_loss(TensorHandle input, TensorHandle target, TensorHandle weight, int reduction,
        long ignoreIndex, out TensorHandle result);
    [LibraryImport(Lib)]
    internal static partial int xr_nn_binary_cross_entropy(TensorHandle input, TensorHandle target, TensorHandle weight,
        int reduction, out TensorHandle result);
    [LibraryImport(Lib)]
    internal static partial int xr_nn_binary_cross_entropy_with_logits(TensorHandle input, TensorHandle target,
        TensorHandle weight, TensorHandle posWeight, int reduction, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_nn_mse_loss(TensorHandle input, TensorHandle target, int reduction, out TensorHandle result);
}
