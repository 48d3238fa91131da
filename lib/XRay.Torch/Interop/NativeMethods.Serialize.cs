using System.Runtime.InteropServices;

namespace XRay.Torch.Interop;

// Mirrors lib/native/src/serialize.cpp.
internal static unsafe partial class NativeMethods
{
    [LibraryImport(Lib)] internal static partial int xr_bytes_data(BytesHandle bytes, void** data, long* length);
    [LibraryImport(Lib)] internal static partial int xr_bytes_free(IntPtr bytes);
    [LibraryImport(Lib)] internal static partial int xr_dict_save(IntPtr[] names, IntPtr[] tensors, int n, out BytesHandle result);
    [LibraryImport(Lib)] internal static partial int xr_dict_load(void* data, long length, out DictHandle result);
    [LibraryImport(Lib)] internal static partial int xr_dict_size(DictHandle dict, int* n);
    [LibraryImport(Lib)] internal static partial int xr_dict_key(DictHandle dict, int i, byte** key);
    [LibraryImport(Lib)] internal static partial int xr_dict_value(DictHandle dict, int i, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_dict_free(IntPtr dict);
}
