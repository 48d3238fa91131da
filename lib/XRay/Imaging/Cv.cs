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
using SixImage = SixLabors.ImageSharp.Image;

namespace XRay.Imaging;

/// <summary>
/// OpenCV through OpenCvSharp. Each member says which cv2 function it matches, so the blog's lines translate one to one
/// (<c>cv2.filter2D(img, -1, kernel)</c> becomes <c>Cv.Filter2D(img, kernel)</c>). Images are <see cref="PixelImage"/>s
/// (uint8, HWC, RGB). Failures throw ArgumentException with OpenCV's or our message.
/// </summary>
public static unsafe class Cv
{
    // OpenCvSharp's native library, from next to our assemblies, before its first DllImport (see NativeLibraries).
    static Cv() => XRay.Runtime.NativeLibraries.PreloadOpenCv();

    /// <summary>50 megapixels: a 7000x7000 scan passes, a decompression bomb does not.</summary>
    public const long DefaultMaxPixels = 50_000_000;

    // Only the formats OpenCV also decodes: ImageSharp's TGA detector would take some random bytes for a TGA header.
    private static readonly Configuration Headers = new(new JpegConfigurationModule(), new PngConfigurationModule(),
        new BmpConfigurationModule(), new GifConfigurationModule(), new TiffConfigurationModule(), new WebpConfigurationModule(),
        new PbmConfigurationModule());

    /// <summary>The OpenCV version OpenCvSharp's runtime was built with, as cv2.__version__.</summary>
    public static string Version => Cv2.GetVersionString() ?? "unknown";

    /// <summary>
    /// Reads the format and size from a file's first bytes without decoding (cv2 has no equivalent: OpenCV has no
    /// header-only mode, so ImageSharp's Identify reads them; only Identify: its pixel decoders are never used here).
    /// </summary>
    public static ImageHeader Probe(ReadOnlySpan<byte> data)
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

    /// <summary>
    /// As cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE) for 1 channel or cv2.IMREAD_COLOR for 3, but the result is RGB (cv2
    /// gives BGR); alpha and 16-bit depth are folded into 8-bit.
    /// </summary>
    public static PixelImage ImDecode(ReadOnlySpan<byte> data, int channels = 1, long maxPixels = DefaultMaxPixels)
    {
        using var img = Decode(data, channels, maxPixels);
        var result = new PixelImage(img.Rows, img.Cols, channels);
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
    /// As cv2.imdecode followed by cv2.resize, straight into <paramref name="output"/> (height*width*channels bytes),
    /// e.g. a slot of a batch or of the loader's cache. <paramref name="planar"/> writes CHW (tensor layout) instead of HWC.
    /// </summary>
    public static void ImDecodeResize(ReadOnlySpan<byte> data, Span<byte> output, int height, int width, int channels = 1,
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
            using var resized = sameSize ? img.Clone() : new Mat();
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
    public static PixelImage Resize(PixelImage src, int width, int height, Interpolation interpolation = Interpolation.Auto)
    {
        if (height <= 0 || width <= 0) throw new ArgumentException($"output size must be positive, got {width}x{height}");
        var mode = Mode(interpolation, src.Cols, src.Rows, width, height);
        var dst = new PixelImage(height, width, src.Channels);
        Apply(src, dst, (s, d) => Cv2.Resize(s, d, new Size(width, height), 0, 0, mode));
        return dst;
    }

    /// <summary>PNG bytes, as cv2.imencode('.png', img), e.g. for display in a notebook.</summary>
    public static byte[] ImEncodePng(PixelImage src) => Encode(src, ".png", []);

    /// <summary>
    /// JPEG bytes, as cv2.imencode('.jpg', img, [cv2.IMWRITE_JPEG_QUALITY, quality]); the same pixels and quality give
    /// the same bytes (libjpeg is deterministic).
    /// </summary>
    public static byte[] ImEncodeJpeg(PixelImage src, int quality = 95)
    {
        if (quality is < 0 or > 100) throw new ArgumentException($"JPEG quality must be 0..100, got {quality}");
        return Encode(src, ".jpg", [(int)ImwriteFlags.JpegQuality, quality]);
    }

    private static byte[] Encode(PixelImage src, string extension, int[] parameters)
    {
        fixed (byte* s = src.Data)
        {
            using var image = Wrap(s, src.Rows, src.Cols, src.Channels);
            using var bgr = new Mat();
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
    public static PixelImage Filter2D(PixelImage src, float[,] kernel)
    {
        if (kernel.GetLength(0) <= 0 || kernel.GetLength(1) <= 0) throw new ArgumentException("kernel size must be positive");
        var dst = src.EmptyLike();
        fixed (float* k = kernel)
        {
            using var kernelMat = Mat.FromPixelData(kernel.GetLength(0), kernel.GetLength(1), MatType.CV_32FC1, (IntPtr)k);
            Apply(src, dst, (s, d) => Cv2.Filter2D(s, d, -1, kernelMat));
        }
        return dst;
    }

    /// <summary>The blog's average mask: cv2.filter2D(src, -1, np.ones((k, k)) / k**2).</summary>
    public static PixelImage Blur(PixelImage src, int k = 3)
    {
        if (k <= 0) throw new ArgumentOutOfRangeException(nameof(k), k, "The averaging kernel size must be positive.");
        var kernel = new float[k, k];
        for (var i = 0; i < k; i++)
            for (var j = 0; j < k; j++)
                kernel[i, j] = 1f / (k * k);
        return Filter2D(src, kernel);
    }

    /// <summary>
    /// As cv2.Canny: a single-channel image of 0 and 255. A multi-channel input takes the strongest gradient over
    /// channels, as cv2.Canny does on the blog's 3-channel images.
    /// </summary>
    public static PixelImage Canny(PixelImage src, double threshold1, double threshold2)
    {
        var dst = new PixelImage(src.Rows, src.Cols, 1);
        Apply(src, dst, (s, d) =>
        {
            if (src.Channels == 1)
            {
                Cv2.Canny(s, d, threshold1, threshold2);
                return;
            }
            // Where two channels' gradients are equally strong, Canny keeps the first one's direction; cv2 holds images
            // as BGR, so it runs on BGR here too, or a few edge pixels would differ from the blog's (seen: 2 of 322).
            using var bgr = new Mat();
            Cv2.CvtColor(s, bgr, src.Channels == 3 ? ColorConversionCodes.RGB2BGR : ColorConversionCodes.RGBA2BGRA);
            Cv2.Canny(bgr, d, threshold1, threshold2);
        });
        return dst;
    }

    /// <summary>
    /// Warps with a 2x3 row-major matrix that maps OUTPUT pixel coordinates (x, y) to INPUT coordinates, as Keras'
    /// apply_affine_transform does (cv2.warpAffine with WARP_INVERSE_MAP).
    /// </summary>
    public static PixelImage WarpAffine(PixelImage src, double[] outputToInput, int width, int height,
        Interpolation interpolation = Interpolation.Linear, BorderMode border = BorderMode.Replicate, double borderValue = 0)
    {
        if (outputToInput.Length != 6) throw new ArgumentException($"An affine matrix has 6 entries, got {outputToInput.Length}.", nameof(outputToInput));
        if (border is < BorderMode.Constant or > BorderMode.Reflect101) throw new ArgumentException($"unknown border mode {(int)border}");
        if (height <= 0 || width <= 0) throw new ArgumentException($"output size must be positive, got {width}x{height}");
        var mode = interpolation == Interpolation.Auto ? InterpolationFlags.Linear : Mode(interpolation, 1, 1, 1, 1);
        var dst = new PixelImage(height, width, src.Channels);
        fixed (double* m = outputToInput)
        {
            using var matrix = Mat.FromPixelData(2, 3, MatType.CV_64FC1, (IntPtr)m);
            Apply(src, dst, (s, d) => Cv2.WarpAffine(s, d, matrix, new Size(width, height), mode | InterpolationFlags.WarpInverseMap,
                (BorderTypes)border, Scalar.All(borderValue)));
        }
        return dst;
    }

    /// <summary>As cv2.flip: 0 flips vertically (upside down), 1 horizontally (mirror), -1 both.</summary>
    public static PixelImage Flip(PixelImage src, int flipCode)
    {
        var dst = src.EmptyLike();
        Apply(src, dst, (s, d) => Cv2.Flip(s, d, (FlipMode)Math.Sign(flipCode)));
        return dst;
    }

    /// <summary>
    /// As cv2.applyColorMap(src, colormap) on a single-channel image (<see cref="ColorMap.Jet"/> is cv2.COLORMAP_JET), but
    /// the result is RGB (cv2 gives BGR).
    /// </summary>
    public static PixelImage ApplyColorMap(PixelImage src, ColorMap colorMap = ColorMap.Jet)
    {
        if (src.Channels != 1) throw new ArgumentException($"ApplyColorMap takes a single-channel image, got {src.Channels} channels");
        if (!Enum.IsDefined(colorMap)) throw new ArgumentException($"unknown color map {(int)colorMap}");
        var dst = new PixelImage(src.Rows, src.Cols, 3);
        Apply(src, dst, (s, d) =>
        {
            Cv2.ApplyColorMap(s, d, (ColormapTypes)colorMap);
            Cv2.CvtColor(d, d, ColorConversionCodes.BGR2RGB); // in place
        });
        return dst;
    }

    /// <summary>As cv2.addWeighted(src1, alpha, src2, beta, gamma): saturate(src1 * alpha + src2 * beta + gamma), same size and channels.</summary>
    public static PixelImage AddWeighted(PixelImage src1, double alpha, PixelImage src2, double beta, double gamma = 0)
    {
        if (src1.Rows != src2.Rows || src1.Cols != src2.Cols || src1.Channels != src2.Channels)
            throw new ArgumentException($"AddWeighted needs images of one size and channel count, got {src1} and {src2}");
        var dst = src1.EmptyLike();
        fixed (byte* b = src2.Data)
        {
            using var second = Wrap(b, src2.Rows, src2.Cols, src2.Channels);
            Apply(src1, dst, (s, d) => Cv2.AddWeighted(s, alpha, second, beta, gamma, d));
        }
        return dst;
    }

    /// <summary>OpenCV's own worker threads (cv2.setNumThreads); 1 when the caller already runs one image per core.</summary>
    public static void SetNumThreads(int threads) => Cv2.SetNumThreads(threads);

    // Decodes to 8-bit gray or OpenCV's BGR. IMREAD_GRAYSCALE / IMREAD_COLOR fold alpha and 16-bit depth into 8 bits.
    // The size comes from the header first, so a decompression bomb is refused before OpenCV allocates its pixels.
    private static Mat Decode(ReadOnlySpan<byte> data, int channels, long maxPixels)
    {
        if (data.IsEmpty) throw new ArgumentException("the file is empty (0 bytes)");
        if (channels is not (1 or 3)) throw new ArgumentException($"channels must be 1 (grayscale) or 3 (RGB), got {channels}");
        var header = Probe(data);
        // OpenCV would decode a few formats ImageSharp cannot size (JPEG 2000, EXR, HDR); without a size they cannot be
        // checked against the limit, so they are refused like any non-image.
        if (header.Format == ImageFormat.Unknown)
            throw new ArgumentException("could not decode the data: not an image (no JPEG, PNG, BMP, TIFF, WebP, PNM or GIF header)");
        if (!header.HasSize) throw new ArgumentException("the image header is damaged or truncated (no valid width and height)");
        if (maxPixels > 0 && header.Pixels > maxPixels)
            throw new ArgumentException($"the image is {header.Width}x{header.Height} = {header.Pixels} pixels, over the limit of {maxPixels} " +
                                        "(a decompression bomb or an unusually large scan); raise the pixel limit if you trust the file");
        Mat img;
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
    private static void Apply(PixelImage src, PixelImage dst, Action<Mat, Mat> operation)
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

    private static Mat Wrap(byte* pixels, int rows, int cols, int channels) =>
        Mat.FromPixelData(rows, cols, MatType.CV_8UC(channels), (IntPtr)pixels);

    // OpenCV reallocates an output whose size or type does not fit, which would leave our buffer unwritten.
    private static void ExpectInPlace(Mat dst, byte* pixels)
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
