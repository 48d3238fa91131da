using System.Runtime.InteropServices;

namespace XRay.Torch.Interop;

// Mirrors lib/native/src/image.cpp.
internal static unsafe partial class NativeMethods
{
    [LibraryImport(Lib)] internal static partial int xr_image_probe(void* data, long length, int* format, long* width, long* height);
    [LibraryImport(Lib)] internal static partial int xr_image_decode(void* data, long length, int channels, long maxPixels, out BytesHandle pixels, int* height, int* width);
    [LibraryImport(Lib)] internal static partial int xr_image_decode_resize(void* data, long length, int channels, long maxPixels, int height, int width, int interpolation, int planar, byte* output, long outputLength);
    [LibraryImport(Lib)] internal static partial int xr_image_resize(byte* src, int h, int w, int c, int dh, int dw, int interpolation, byte* dst);
    [LibraryImport(Lib)] internal static partial int xr_image_encode(byte* src, int h, int w, int c, int format, int quality, out BytesHandle result);
    [LibraryImport(Lib)] internal static partial int xr_image_filter2d(byte* src, int h, int w, int c, float* kernel, int kh, int kw, byte* dst);
    [LibraryImport(Lib)] internal static partial int xr_image_canny(byte* src, int h, int w, int c, double low, double high, byte* dst);
    [LibraryImport(Lib)] internal static partial int xr_image_warp_affine(byte* src, int h, int w, int c, double* m, int dh, int dw, int interpolation, int borderMode, double borderValue, byte* dst);
    [LibraryImport(Lib)] internal static partial int xr_image_flip(byte* src, int h, int w, int c, int code, byte* dst);
    [LibraryImport(Lib)] internal static partial int xr_image_set_num_threads(int n);
}
