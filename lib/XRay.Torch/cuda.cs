using XRay.Torch.Interop;

namespace XRay.Torch;

public static partial class torch
{
    /// <summary>CUDA queries. All false / zero with a CPU-only libtorch.</summary>
    public static class cuda
    {
        public static unsafe bool is_available()
        {
            int available;
            NativeError.ThrowIfFailed(NativeMethods.xr_cuda_is_available(&available));
            return available != 0;
        }

        public static unsafe int device_count()
        {
            int count;
            NativeError.ThrowIfFailed(NativeMethods.xr_cuda_device_count(&count));
            return count;
        }

        public static unsafe bool is_cudnn_available()
        {
            int available;
            NativeError.ThrowIfFailed(NativeMethods.xr_cuda_cudnn_is_available(&available));
            return available != 0;
        }

        /// <summary>Waits for every kernel queued on the device; needed for honest GPU timings.</summary>
        public static void synchronize(int device = 0) => NativeError.ThrowIfFailed(NativeMethods.xr_cuda_synchronize(device));
    }
}
