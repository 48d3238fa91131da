using XRay.Torch.Interop;

namespace XRay.Torch.Imaging;

/// <summary>
/// OpenCV through the native library, named as in cv2 so the blog's lines translate one to one
/// (<c>cv2.filter2D(img, -1, kernel)</c> becomes <c>cv.filter2D(img, kernel)</c>). Images are <see cref="Mat"/>s
/// (uint8, HWC, RGB). Failures throw ArgumentException with OpenCV's or our message.
/// </summary>
public static unsafe class cv
{
    /// <summary>50 megapixels: a 7000x7000 scan passes, a decompression bomb does not.</summary>
    public const long DefaultMaxPixels = 50_000_000;

    /// <summary>Reads the format and size from the first bytes of a JPEG, PNG or BMP, without decoding.</summary>
    public static ImageHeader probe(ReadOnlySpan<byte> data)
    {
        int format;
        long width, height;
        fixed (byte* p = data)
            NativeError.ThrowIfFailed(NativeMethods.xr_image_probe(p, data.Length, &format, &width, &height));
        return new ImageHeader((ImageFormat)format, width, height);
    }

    /// <summary>Decodes to grayscale (1 channel) or RGB (3); alpha and 16-bit depth are folded into 8-bit.</summary>
    public static Mat imdecode(ReadOnlySpan<byte> data, int channels = 1, long maxPixels = DefaultMaxPixels)
    {
        int h, w;
        BytesHandle pixels;
        fixed (byte* p = data)
            NativeError.ThrowIfFailed(NativeMethods.xr_image_decode(p, data.Length, channels, maxPixels, out pixels, &h, &w));
        using (pixels)
            return new Mat(h, w, channels, pixels.ToArray());
    }

    /// <summary>
    /// Decodes and resizes straight into <paramref name="output"/> (height*width*channels bytes), e.g. a slot of a batch
    /// or of the loader's cache. <paramref name="planar"/> writes CHW (tensor layout) instead of HWC.
    /// </summary>
    public static void imdecode_resize(ReadOnlySpan<byte> data, Span<byte> output, int height, int width, int channels = 1,
        Interpolation interpolation = Interpolation.Auto, bool planar = false, long maxPixels = DefaultMaxPixels)
    {
        fixed (byte* p = data)
        fixed (byte* o = output)
            NativeError.ThrowIfFailed(NativeMethods.xr_image_decode_resize(p, data.Length, channels, maxPixels, height, width,
                (int)interpolation, planar ? 1 : 0, o, output.Length));
    }

    /// <summary>As cv2.resize(src, (width, height), interpolation=...).</summary>
    public static Mat resize(Mat src, int width, int height, Interpolation interpolation = Interpolation.Auto)
    {
        var dst = new Mat(height, width, src.Channels);
        fixed (byte* s = src.Data)
        fixed (byte* d = dst.Data)
            NativeError.ThrowIfFailed(NativeMethods.xr_image_resize(s, src.Rows, src.Cols, src.Channels, height, width, (int)interpolation, d));
        return dst;
    }

    /// <summary>PNG bytes, e.g. for display in a notebook.</summary>
    public static byte[] imencode_png(Mat src) => Encode(src, 2, 0);

    /// <summary>JPEG bytes; the same pixels and quality give the same bytes (libjpeg is deterministic).</summary>
    public static byte[] imencode_jpeg(Mat src, int quality = 95) => Encode(src, 1, quality);

    private static byte[] Encode(Mat src, int format, int quality)
    {
        BytesHandle result;
        fixed (byte* s = src.Data)
            NativeError.ThrowIfFailed(NativeMethods.xr_image_encode(s, src.Rows, src.Cols, src.Channels, format, quality, out result));
        using (result)
            return result.ToArray();
    }

    /// <summary>
    /// As cv2.filter2D(src, -1, kernel): correlation, result rounded and saturated to uint8, borders mirrored
    /// without repeating the edge pixel (BORDER_REFLECT_101).
    /// </summary>
    public static Mat filter2D(Mat src, float[,] kernel)
    {
        var dst = src.EmptyLike();
        fixed (byte* s = src.Data)
        fixed (byte* d = dst.Data)
        fixed (float* k = kernel)
            NativeError.ThrowIfFailed(NativeMethods.xr_image_filter2d(s, src.Rows, src.Cols, src.Channels, k,
                kernel.GetLength(0), kernel.GetLength(1), d));
        return dst;
    }

    /// <summary>The blog's average mask: filter2D with a k x k kernel of 1/k².</summary>
    public static Mat blur(Mat src, int k = 3)
    {
        if (k <= 0) throw new ArgumentOutOfRangeException(nameof(k), k, "The averaging kernel size must be positive.");
        var kernel = new float[k, k];
        for (var i = 0; i < k; i++)
            for (var j = 0; j < k; j++)
                kernel[i, j] = 1f / (k * k);
        return filter2D(src, kernel);
    }

    /// <summary>As cv2.Canny: a single-channel image of 0 and 255.</summary>
    public static Mat Canny(Mat src, double threshold1, double threshold2)
    {
        var dst = new Mat(src.Rows, src.Cols, 1);
        fixed (byte* s = src.Data)
        fixed (byte* d = dst.Data)
            NativeError.ThrowIfFailed(NativeMethods.xr_image_canny(s, src.Rows, src.Cols, src.Channels, threshold1, threshold2, d));
        return dst;
    }

    /// <summary>
    /// Warps with a 2x3 row-major matrix that maps OUTPUT pixel coordinates (x, y) to INPUT coordinates, as Keras'
    /// apply_affine_transform does (cv2.warpAffine with WARP_INVERSE_MAP).
    /// </summary>
    public static Mat warpAffine(Mat src, double[] outputToInput, int width, int height,
        Interpolation interpolation = Interpolation.Linear, BorderMode border = BorderMode.Replicate, double borderValue = 0)
    {
        if (outputToInput.Length != 6) throw new ArgumentException($"An affine matrix has 6 entries, got {outputToInput.Length}.", nameof(outputToInput));
        var dst = new Mat(height, width, src.Channels);
        fixed (byte* s = src.Data)
        fixed (byte* d = dst.Data)
        fixed (double* m = outputToInput)
            NativeError.ThrowIfFailed(NativeMethods.xr_image_warp_affine(s, src.Rows, src.Cols, src.Channels, m, height, width,
                (int)interpolation, (int)border, borderValue, d));
        return dst;
    }

    /// <summary>As cv2.flip: 0 flips vertically (upside down), 1 horizontally (mirror), -1 both.</summary>
    public static Mat flip(Mat src, int flipCode)
    {
        var dst = src.EmptyLike();
        fixed (byte* s = src.Data)
        fixed (byte* d = dst.Data)
            NativeError.ThrowIfFailed(NativeMethods.xr_image_flip(s, src.Rows, src.Cols, src.Channels, flipCode, d));
        return dst;
    }

    /// <summary>OpenCV's own worker threads (cv2.setNumThreads); 1 when the caller already runs one image per core.</summary>
    public static void setNumThreads(int threads) => NativeError.ThrowIfFailed(NativeMethods.xr_image_set_num_threads(threads));
}
