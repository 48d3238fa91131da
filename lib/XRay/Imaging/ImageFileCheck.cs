
namespace XRay.Imaging;

/// <summary>
/// A cheap look at a file before it joins a dataset: size, header and end marker, without decoding.
/// It catches empty, non-image, oversized and most truncated files; a file that passes may still fail to
/// decode (corrupt entropy data), which the loader reports at decode time.
/// </summary>
public static class ImageFileCheck
{
    /// <summary>Extensions a dataset folder takes as images (those of torchvision's ImageFolder that OpenCV decodes).</summary>
    public static readonly IReadOnlySet<string> Extensions =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp", ".pgm", ".ppm" };

    // Big enough for EXIF/ICC segments in front of a JPEG's frame header.
    private const int HeadBytes = 256 * 1024;

    /// <summary>Null when the file looks usable, otherwise the reason it is not.</summary>
    public static string? Problem(string path, long maxPixels = Cv.DefaultMaxPixels)
    {
        if (BadExtension(path) is { } extension) return extension.Reason;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
            return Check(stream, path, maxPixels)?.Reason;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"unreadable: {e.Message}";
        }
    }

    /// <summary>
    /// The same checks on a seekable stream (an upload held in memory), <paramref name="name"/> giving the extension
    /// (only its extension is used, never as a path). Null when it looks usable.
    /// </summary>
    public static ImageProblem? Check(Stream stream, string name, long maxPixels = Cv.DefaultMaxPixels)
    {
        if (BadExtension(name) is { } extension) return extension;
        var length = stream.Length;
        if (length == 0) return new("empty file (0 bytes)");
        stream.Seek(0, SeekOrigin.Begin);
        var head = new byte[(int)Math.Min(length, HeadBytes)];
        stream.ReadExactly(head);
        var header = Cv.Probe(head);
        // The decoder refuses what has no header to size it by, so every extension is judged here.
        if (header.Format == ImageFormat.Unknown)
            return new($"not an image: the content is not JPEG, PNG, BMP, TIFF, WebP or PNM (starts with {Describe(head)})");
        // Before the size: ImageSharp reads a JPEG's header up to its scan, so a file cut short reads as no size at all.
        var tail = new byte[(int)Math.Min(length, 32)];
        stream.Seek(-tail.Length, SeekOrigin.End);
        stream.ReadExactly(tail);
        if (header.Format == ImageFormat.Jpeg && !HasJpegEnd(tail)) return new("truncated JPEG: the end-of-image marker is missing");
        if (header.Format == ImageFormat.Png && tail.AsSpan().IndexOf("IEND"u8) < 0) return new("truncated PNG: the IEND chunk is missing");
        if (!header.HasSize) return new($"damaged {header.Format} header: no valid width and height");
        if (maxPixels > 0 && header.Pixels > maxPixels)
            return new($"too large: {header.Width}x{header.Height} = {header.Pixels:N0} pixels, over the limit of {maxPixels:N0}", OverPixelLimit: true);
        return null;
    }

    private static ImageProblem? BadExtension(string name) =>
        Extensions.Contains(Path.GetExtension(name))
            ? null
            : new($"not an image file (extension '{Path.GetExtension(name)}'; expected one of {string.Join(" ", Extensions)})");

    // Some encoders pad after FFD9, so look at the last bytes rather than the very last two.
    private static bool HasJpegEnd(ReadOnlySpan<byte> tail) => tail.IndexOf(new byte[] { 0xFF, 0xD9 }) >= 0;

    private static string Describe(ReadOnlySpan<byte> head)
    {
        var n = Math.Min(8, head.Length);
        var text = new string(head[..n].ToArray().Select(b => b is >= 32 and < 127 ? (char)b : '.').ToArray());
        return $"'{text}' = {Convert.ToHexString(head[..n])}";
    }
}
