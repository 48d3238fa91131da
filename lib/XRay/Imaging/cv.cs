using OpenCvSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Pbm;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using Configuration = SixLabors.ImageSharp.Configuration;
using CvMat = OpenCvSharp.Mat;
using SixImage = SixLabors.ImageSharp.Image;

namespace XRay.Imaging;

/// <summary>
/// OpenCV through OpenCvSharp, named as in cv2 so the blog's lines translate one to one
/// (<c>cv2.filter2D(img, -1, kernel)</c> becomes <c>cv.filter2D(img, kernel)</c>). Images are <see cref="Mat"/>s
/// (uint8, HWC, RGB). Failures throw ArgumentException with OpenCV's or our message.
/// </summary>
public static unsafe class cv
{
    // OpenCvSharp's native library, from next to our assemblies, before its first DllImport (see NativeLibraries).
    static cv() => XRay.Runtime.NativeLibraries.PreloadOpenCv();

    /// <summary>50 megapixels: a 7000x7000 scan passes, a decompression bomb does not.</summary>
    public const long DefaultMaxPixels = 50_000_000;

    // Only the formats OpenCV also decodes: ImageSharp's TGA detector would take some random bytes for a TGA header.
    private static readonly Configuration Headers = new(new JpegConfigurationModule(), new PngConfigurationModule(),
        new BmpConfigurationModule(), new GifConfigurationModule(), new TiffConfigurationModule(), new WebpConfigurationModule(),
        new PbmConfigurationModule());

    /// <summary>The OpenCV version OpenCvSharp's runtime was built with, as cv2.__version__.</summary>
    public static string __version__ => Cv2.GetVersionString() ?? "unknown";

    /// <summary>
    /// Reads the format and size from a file's first bytes without decoding: OpenCV has no header-only mode, so
    /// ImageSharp's Identify reads them (only Identify: its pixel decoders are never used here).
    /// </summary>
    public static ImageHeader probe(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return new ImageHeader(ImageFormat.Unknown, -1, -1);
        var format = Format(SixImage.DetectFormat(Headers, data));
        if (format == ImageFormat.Unknown) return new ImageHeader(format, -1, -1);
        try
        {
            fixed (byte* p = data)
            {
                using var stream = new UnmanagedMemoryStream(p, data.Length);
                var info = SixImage.Identify(Headers, stream);
                return info is null ? new ImageHeader(format, -1, -1) : new ImageHeader(format, info.Width, info.Height);
            }
        }
        catch (Exception e) when (e is SixLabors.ImageSharp.ImageFormatException or NotSupportedException or IOException
                                       or ArgumentException or IndexOutOfRangeException or InvalidOperationException)
        {
            return new ImageHeader(format, -1, -1); // cut short or damaged: the format is known, the size is not
        }
    }

    /// <summary>Decodes to grayscale (1 channel) or RGB (3); alpha and 16-bit depth are folded into 8-bit.</summary>
    public static Mat imdecode(ReadOnlySpan<byte> data, int channels = 1, long maxPixels = DefaultMaxPixels)
    {
        using var img = Decode(data, channels, maxPixels);
        var result = new Mat(img.Rows, img.Cols, channels);
        fixed (byte* d = result.Data)
        {
            using var dst = Wrap(d, result.Rows, result.Cols, channels);
            if (channels == 3) Cv2.CvtColor(img, dst, ColorConversionCodes.BGR2RGB);
            else img.CopyTo(dst);
            ExpectInPlace(dst, d);
        }
        return result;
    }

    /// <summary>
    /// Decodes and resizes straight into <paramref name="output"/> (height*width*channels bytes), e.g. a slot of a batch
    /// or of the loader's cache. <paramref name="planar"/> writes CHW (tensor layout) instead of HWC.
    /// </summary>
    public static void imdecode_resize(ReadOnlySpan<byte> data, Span<byte> output, int height, int width, int channels = 1,
        Interpolation interpolation = Interpolation.Auto, bool planar = false, long maxPixels = DefaultMaxPixels)
    {
        if (height <= 0 || width <= 0) throw new ArgumentException($"target size must be positive, got {width}x{height}");
        var need = (long)height * width * channels;
        if (output.Length != need) throw new ArgumentException($"output buffer holds {output.Length} bytes, need {need}");
        // Kept in OpenCV's BGR: swapping to RGB commutes with resizing, so it is done on the small output (or folded
        // into the planar split) instead of on the full-size scan, on the hot path of every uncached epoch.
        using var img = Decode(data, channels, maxPixels);
        var mode = Mode(interpolation, img.Cols, img.Rows, width, height);
        var sameSize = img.Rows == height && img.Cols == width;
        fixed (byte* o = output)
        {
            if (channels == 1 || !planar)
            {
                using var dst = Wrap(o, height, width, channels);
                if (sameSize) img.CopyTo(dst);
                else Cv2.Resize(img, dst, new Size(width, height), 0, 0, mode);
                if (channels == 3) Cv2.CvtColor(dst, dst, ColorConversionCodes.BGR2RGB); // in place
                ExpectInPlace(dst, o);
                return;
            }
            using var resized = sameSize ? img.Clone() : new CvMat();
            if (!sameSize) Cv2.Resize(img, resized, new Size(width, height), 0, 0, mode);
            // BGR channel c goes to RGB plane (channels - 1 - c).
            for (var c = 0; c < channels; c++)
            {
                var plane = o + (long)(channels - 1 - c) * height * width;
                using var dst = Wrap(plane, height, width, 1);
                Cv2.ExtractChannel(resized, dst, c);
                ExpectInPlace(dst, plane);
            }
        }
    }

    /// <summary>As cv2.resize(src, (width, height), interpolation=...).</summary>
    public static Mat resize(Mat src, int width, int height, Interpolation interpolation = Interpolation.Auto)
    {
        if (height <= 0 || width <= 0) throw new ArgumentException($"output size must be positive, got {width}x{height}");
        var mode = Mode(interpolation, src.Cols, src.Rows, width, height);
        var dst = new Mat(height, width, src.Channels);
        Apply(src, dst, (s, d) => Cv2.Resize(s, d, new Size(width, height), 0, 0, mode));
        return dst;
    }

    /// <summary>PNG bytes, e.g. for display in a notebook.</summary>
    public static byte[] imencode_png(Mat src) => Encode(src, ".png", []);

    /// <summary>JPEG bytes; the same pixels and quality give the same bytes (libjpeg is deterministic).</summary>
    public static byte[] imencode_jpeg(Mat src, int quality = 95)
    {
        if (quality is < 0 or > 100) throw new ArgumentException($"JPEG quality must be 0..100, got {quality}");
        return Encode(src, ".jpg", [(int)ImwriteFlags.JpegQuality, quality]);
    }

    private static byte[] Encode(Mat src, string extension, int[] parameters)
    {
        fixed (byte* s = src.Data)
        {
            using var image = Wrap(s, src.Rows, src.Cols, src.Channels);
            using var bgr = new CvMat();
            if (src.Channels == 3) Cv2.CvtColor(image, bgr, ColorConversionCodes.RGB2BGR);
            else if (src.Channels == 4) Cv2.CvtColor(image, bgr, ColorConversionCodes.RGBA2BGRA);
            else image.CopyTo(bgr);
            return Guard(() => Cv2.ImEncode(extension, bgr, out var buffer, parameters)
                ? buffer
                : throw new ArgumentException("OpenCV could not encode the image"));
        }
    }

    /// <summary>
    /// As cv2.filter2D(src, -1, kernel): correlation, result rounded and saturated to uint8, borders mirrored
    /// without repeating the edge pixel (BORDER_REFLECT_101).
    /// </summary>
    public static Mat filter2D(Mat src, float[,] kernel)
    {
        if (kernel.GetLength(0) <= 0 || kernel.GetLength(1) <= 0) throw new ArgumentException("kernel size must be positive");
        var dst = src.EmptyLike();
        fixed (float* k = kernel)
        {
            using var kernelMat = CvMat.FromPixelData(kernel.GetLength(0), kernel.GetLength(1), MatType.CV_32FC1, (IntPtr)k);
            Apply(src, dst, (s, d) => Cv2.Filter2D(s, d, -1, kernelMat));
        }
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

    /// <summary>
    /// As cv2.Canny: a single-channel image of 0 and 255. A multi-channel input takes the strongest gradient over
    /// channels, as cv2.Canny does on the blog's 3-channel images.
    /// </summary>
    public static Mat Canny(Mat src, double threshold1, double threshold2)
    {
        var dst = new Mat(src.Rows, src.Cols, 1);
        Apply(src, dst, (s, d) =>
        {
            if (src.Channels == 1)
            {
                Cv2.Canny(s, d, threshold1, threshold2);
                return;
            }
            // Where two channels' gradients are equally strong, Canny keeps the first one's direction; cv2 holds images
            // as BGR, so it runs on BGR here too, or a few edge pixels would differ from the blog's (seen: 2 of 322).
            using var bgr = new CvMat();
            Cv2.CvtColor(s, bgr, src.Channels == 3 ? ColorConversionCodes.RGB2BGR : ColorConversionCodes.RGBA2BGRA);
            Cv2.Canny(bgr, d, threshold1, threshold2);
        });
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
        if (border is < BorderMode.Constant or > BorderMode.Reflect101) throw new ArgumentException($"unknown border mode {(int)border}");
        if (height <= 0 || width <= 0) throw new ArgumentException($"output size must be positive, got {width}x{height}");
        var mode = interpolation == Interpolation.Auto ? InterpolationFlags.Linear : Mode(interpolation, 1, 1, 1, 1);
        var dst = new Mat(height, width, src.Channels);
        fixed (double* m = outputToInput)
        {
            using var matrix = CvMat.FromPixelData(2, 3, MatType.CV_64FC1, (IntPtr)m);
            Apply(src, dst, (s, d) => Cv2.WarpAffine(s, d, matrix, new Size(width, height), mode | InterpolationFlags.WarpInverseMap,
                (BorderTypes)border, Scalar.All(borderValue)));
        }
        return dst;
    }

    /// <summary>As cv2.flip: 0 flips vertically (upside down), 1 horizontally (mirror), -1 both.</summary>
    public static Mat flip(Mat src, int flipCode)
    {
        var dst = src.EmptyLike();
        Apply(src, dst, (s, d) => Cv2.Flip(s, d, (FlipMode)Math.Sign(flipCode)));
        return dst;
    }

    /// <summary>cv2.COLORMAP_JET: blue (low) through green and yellow to red (high).</summary>
    public const int COLORMAP_JET = (int)ColormapTypes.Jet;

    /// <summary>As cv2.applyColorMap on a single-channel image, but the result is RGB (cv2 gives BGR).</summary>
    public static Mat applyColorMap(Mat src, int colormap = COLORMAP_JET)
    {
        if (src.Channels != 1) throw new ArgumentException($"applyColorMap takes a single-channel image, got {src.Channels} channels");
        var dst = new Mat(src.Rows, src.Cols, 3);
        Apply(src, dst, (s, d) =>
        {
            Cv2.ApplyColorMap(s, d, (ColormapTypes)colormap);
            Cv2.CvtColor(d, d, ColorConversionCodes.BGR2RGB); // in place
        });
        return dst;
    }

    /// <summary>As cv2.addWeighted(src1, alpha, src2, beta, gamma): saturate(src1 * alpha + src2 * beta + gamma), same size and channels.</summary>
    public static Mat addWeighted(Mat src1, double alpha, Mat src2, double beta, double gamma = 0)
    {
        if (src1.Rows != src2.Rows || src1.Cols != src2.Cols || src1.Channels != src2.Channels)
            throw new ArgumentException($"addWeighted needs images of one size and channel count, got {src1} and {src2}");
        var dst = src1.EmptyLike();
        fixed (byte* b = src2.Data)
        {
            using var second = Wrap(b, src2.Rows, src2.Cols, src2.Channels);
            Apply(src1, dst, (s, d) => Cv2.AddWeighted(s, alpha, second, beta, gamma, d));
        }
        return dst;
    }

    /// <summary>OpenCV's own worker threads (cv2.setNumThreads); 1 when the caller already runs one image per core.</summary>
    public static void setNumThreads(int threads) => Cv2.SetNumThreads(threads);

    // Decodes to 8-bit gray or OpenCV's BGR. IMREAD_GRAYSCALE / IMREAD_COLOR fold alpha and 16-bit depth into 8 bits.
    // The size comes from the header first, so a decompression bomb is refused before OpenCV allocates its pixels.
    private static CvMat Decode(ReadOnlySpan<byte> data, int channels, long maxPixels)
    {
        if (data.IsEmpty) throw new ArgumentException("the file is empty (0 bytes)");
        if (channels is not (1 or 3)) throw new ArgumentException($"channels must be 1 (grayscale) or 3 (RGB), got {channels}");
        var header = probe(data);
        // OpenCV would decode a few formats ImageSharp cannot size (JPEG 2000, EXR, HDR); without a size they cannot be
        // checked against the limit, so they are refused like any non-image.
        if (header.Format == ImageFormat.Unknown)
            throw new ArgumentException("could not decode the data: not an image (no JPEG, PNG, BMP, TIFF, WebP, PNM or GIF header)");
        if (!header.HasSize) throw new ArgumentException("the image header is damaged or truncated (no valid width and height)");
        if (maxPixels > 0 && header.Pixels > maxPixels)
            throw new ArgumentException($"the image is {header.Width}x{header.Height} = {header.Pixels} pixels, over the limit of {maxPixels} " +
                                        "(a decompression bomb or an unusually large scan); raise the pixel limit if you trust the file");
        CvMat img;
        try
        {
            img = Cv2.ImDecode(data, channels == 1 ? ImreadModes.Grayscale : ImreadModes.Color);
        }
        catch (OpenCVException e)
        {
            throw new ArgumentException($"OpenCV could not decode the data: {e.Message}", e);
        }
        if (img.Empty())
        {
            img.Dispose();
            throw new ArgumentException("OpenCV could not decode the data: not an image, or a corrupt or truncated one");
        }
        return img;
    }

    private static InterpolationFlags Mode(Interpolation code, int srcWidth, int srcHeight, int dstWidth, int dstHeight) => code switch
    {
        // Area averaging when shrinking (no aliasing of rib edges), bilinear when enlarging: what OpenCV's documentation
        // recommends and OpenCV-Python users pick.
        Interpolation.Auto => dstWidth < srcWidth || dstHeight < srcHeight ? InterpolationFlags.Area : InterpolationFlags.Linear,
        Interpolation.Nearest or Interpolation.Linear or Interpolation.Cubic or Interpolation.Area => (InterpolationFlags)(int)code,
        _ => throw new ArgumentException($"unknown interpolation {(int)code}"),
    };

    // Runs an OpenCV function from src's pixels into dst's, both pinned; no copy on either side.
    private static void Apply(Mat src, Mat dst, Action<CvMat, CvMat> operation)
    {
        fixed (byte* s = src.Data)
        fixed (byte* d = dst.Data)
        {
            using var source = Wrap(s, src.Rows, src.Cols, src.Channels);
            using var destination = Wrap(d, dst.Rows, dst.Cols, dst.Channels);
            Guard(() => operation(source, destination));
            ExpectInPlace(destination, d);
        }
    }

    private static CvMat Wrap(byte* pixels, int rows, int cols, int channels) =>
        CvMat.FromPixelData(rows, cols, MatType.CV_8UC(channels), (IntPtr)pixels);

    // OpenCV reallocates an output whose size or type does not fit, which would leave our buffer unwritten.
    private static void ExpectInPlace(CvMat dst, byte* pixels)
    {
        if (dst.Data != (IntPtr)pixels) throw new InvalidOperationException("internal error: OpenCV did not write the output in place");
    }

    private static void Guard(Action action) => Guard(() => { action(); return 0; });

    // OpenCV's own errors (a bad kernel, an unsupported channel count) become ArgumentExceptions, as every bad input here.
    private static T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (OpenCVException e)
        {
            throw new ArgumentException($"OpenCV: {e.Message}", e);
        }
    }

    private static ImageFormat Format(IImageFormat? format) => format switch
    {
        JpegFormat => ImageFormat.Jpeg,
        PngFormat => ImageFormat.Png,
        BmpFormat => ImageFormat.Bmp,
        GifFormat => ImageFormat.Gif,
        TiffFormat => ImageFormat.Tiff,
        WebpFormat => ImageFormat.Webp,
        PbmFormat => ImageFormat.Pbm,
        _ => ImageFormat.Unknown,
    };
}
