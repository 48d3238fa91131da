using System.Runtime.InteropServices;

namespace XRay.Torch.Interop;

// Mirrors lib/native/src/runtime.cpp.
internal static unsafe partial class NativeMethods
{
    private const string Lib = NativeLibraryLoader.LibraryName;

    static NativeMethods() => NativeLibraryLoader.Register();

    [LibraryImport(Lib)] internal static partial int xr_error_message(byte** message);
    [LibraryImport(Lib)] internal static partial int xr_runtime_versions(byte** torchVersion);
    [LibraryImport(Lib)] internal static partial int xr_runtime_set_num_threads(int n);
    [LibraryImport(Lib)] internal static partial int xr_runtime_get_num_threads(int* n);
    [LibraryImport(Lib)] internal static partial int xr_runtime_manual_seed(long seed);
    [LibraryImport(Lib)] internal static partial int xr_runtime_parallel_info(byte** info);
    [LibraryImport(Lib)] internal static partial int xr_cuda_is_available(int* available);
    [LibraryImport(Lib)] internal static partial int xr_cuda_device_count(int* count);
    [LibraryImport(Lib)] internal static partial int xr_cuda_cudnn_is_available(int* available);
    [LibraryImport(Lib)] internal static partial int xr_cuda_synchronize(int deviceIndex);
}
