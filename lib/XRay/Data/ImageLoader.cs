using XRay.Runtime;
using XRay.Imaging;
using static TorchSharp.torch;

namespace XRay.Data;

/// <summary>
/// One image file to pixels or to a model input, the same way the DataLoader prepares them (so `xray predict` sees
/// what training saw). Every failure is an <see cref="ImageLoadException"/> naming the file and the reason.
/// </summary>
public static class ImageLoader
{
    /// <summary>Decodes a file to an 8-bit gray or RGB image at its own size.</summary>
    public static PixelImage Read(string path, ColorMode color = ColorMode.Grayscale, long maxPixels = Cv.DefaultMaxPixels) =>
        Decode(path, ReadBytes(path), bytes => Cv.ImDecode(bytes, (int)color, maxPixels));

    /// <summary>Decodes and resizes a file straight into <paramref name="chw"/> (C*H*W bytes, planar).</summary>
    public static void ReadInto(string path, Preprocessing preprocessing, Span<byte> chw,
        Interpolation interpolation = Interpolation.Auto, long maxPixels = Cv.DefaultMaxPixels) =>
        DecodeInto(ReadBytes(path), path, preprocessing, chw, interpolation, maxPixels);

    /// <summary>As <see cref="ReadInto"/> for an encoded image already in memory (an upload); <paramref name="name"/> only labels errors.</summary>
    public static void DecodeInto(byte[] encoded, string name, Preprocessing preprocessing, Span<byte> chw,
        Interpolation interpolation = Interpolation.Auto, long maxPixels = Cv.DefaultMaxPixels)
    {
        if (encoded.Length == 0) throw new ImageLoadException(name, "empty file (0 bytes)");
        try
        {
            Cv.ImDecodeResize(encoded, chw, preprocessing.Height, preprocessing.Width, preprocessing.Channels, interpolation,
                planar: true, maxPixels);
        }
        catch (ArgumentException e)
        {
            throw new ImageLoadException(name, Reason(encoded, e), e);
        }
    }

    /// <summary>One file as a (C, H, W) float32 model input: resized, scaled to [0, 1], then (x - Mean) / Std.</summary>
    public static Tensor Load(string path, Preprocessing preprocessing, Interpolation interpolation = Interpolation.Auto,
        long maxPixels = Cv.DefaultMaxPixels, Device? device = null) =>
        Load(ReadBytes(path), path, preprocessing, interpolation, maxPixels, device);

    /// <summary>As <see cref="Load(string, Preprocessing, Interpolation, long, Device?)"/> for an encoded image in memory.</summary>
    public static Tensor Load(byte[] encoded, string name, Preprocessing preprocessing, Interpolation interpolation = Interpolation.Auto,
        long maxPixels = Cv.DefaultMaxPixels, Device? device = null)
    {
        var chw = new byte[preprocessing.Channels * preprocessing.Height * preprocessing.Width];
        DecodeInto(encoded, name, preprocessing, chw, interpolation, maxPixels);
        using var batch = ToModelInput(chw, 1, preprocessing, device);
        return batch.squeeze(0);
    }

    /// <summary>
    /// uint8 CHW pixels of <paramref name="count"/> images to a (count, C, H, W) float32 tensor on the device. The bytes
    /// travel as uint8 (4x less to copy to a GPU) and are converted there.
    /// </summary>
    public static Tensor ToModelInput(ReadOnlySpan<byte> pixels, int count, Preprocessing preprocessing, Device? device = null)
    {
        using var scope = NewDisposeScope();
        var raw = pixels.ToTensor(count, preprocessing.Channels, preprocessing.Height, preprocessing.Width);
        var x = raw.to(device ?? CPU).to(ScalarType.Float32).div(255.0); // uint8 crosses to the device, then converts
        var (mean, std) = (preprocessing.Means, preprocessing.Stds);
        if (mean.Any(m => m != 0.0)) x = x.sub(tensor(mean, ScalarType.Float32, x.device).view(1, -1, 1, 1));
        if (std.Any(s => s != 1.0)) x = x.div(tensor(std, ScalarType.Float32, x.device).view(1, -1, 1, 1));
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The inverse of <see cref="ToModelInput"/> for one image: a (C, H, W) or (1, C, H, W) model input back to its
    /// 8-bit pixels (undoing Mean and Std), e.g. to draw a Grad-CAM heatmap over what the model saw.
    /// </summary>
    public static PixelImage ToImage(Tensor input, Preprocessing preprocessing)
    {
        using var scope = NewDisposeScope();
        var x = input.detach().to(ScalarType.Float32).cpu();
        if (x.ndim == 4 && x.shape[0] == 1) x = x.squeeze(0);
        if (x.ndim != 3 || x.shape[0] != preprocessing.Channels || x.shape[1] != preprocessing.Height || x.shape[2] != preprocessing.Width)
            throw new ArgumentException($"Expected a model input of shape ({string.Join(", ", preprocessing.InputShape)}), got [{string.Join(", ", input.shape)}].");
        var (mean, std) = (tensor(preprocessing.Means, ScalarType.Float32).view(-1, 1, 1), tensor(preprocessing.Stds, ScalarType.Float32).view(-1, 1, 1));
        var pixels = x.mul(std).add(mean).mul(255.0).round().clamp(0, 255).to(ScalarType.Byte).contiguous();
        return PixelImage.FromChw(pixels.ToArray<byte>(), preprocessing.Channels, preprocessing.Height, preprocessing.Width);
    }

    private static byte[] ReadBytes(string path)
    {
        try
        {
            var bytes = File.ReadAllBytes(path);
            if (bytes.Length == 0) throw new ImageLoadException(path, "empty file (0 bytes)");
            return bytes;
        }
        catch (FileNotFoundException)
        {
            throw new ImageLoadException(path, "file not found");
        }
        catch (DirectoryNotFoundException)
        {
            throw new ImageLoadException(path, "folder not found");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageLoadException(path, $"unreadable: {e.Message}", e);
        }
    }

    private static PixelImage Decode(string path, byte[] bytes, Func<byte[], PixelImage> decode)
    {
        try
        {
            return decode(bytes);
        }
        catch (ArgumentException e)
        {
            throw new ImageLoadException(path, Reason(bytes, e), e);
        }
    }

    // Cv's message says what failed; for a file that is not an image at all, say so plainly.
    private static string Reason(byte[] bytes, ArgumentException e) =>
        Cv.Probe(bytes).Format == ImageFormat.Unknown && e.Message.Contains("could not decode", StringComparison.Ordinal)
            ? "not an image: no JPEG, PNG, BMP, TIFF, WebP or PNM header"
            : e.Message;
}
