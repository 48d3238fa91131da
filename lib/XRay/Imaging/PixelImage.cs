using TorchSharp;
using XRay.Runtime;

namespace XRay.Imaging;

/// <summary>
/// An 8-bit image in managed memory: <see cref="Rows"/> x <see cref="Cols"/> x <see cref="Channels"/>, interleaved (HWC)
/// like an OpenCV Mat or a numpy array from cv2, but RGB (not BGR) when it has 3 channels.
/// </summary>
public sealed class PixelImage
{
    public PixelImage(int rows, int cols, int channels, byte[]? data = null)
    {
        if (rows <= 0 || cols <= 0) throw new ArgumentException($"An image needs a positive size, got {cols}x{rows}.");
        if (channels is not (1 or 3 or 4)) throw new ArgumentException($"An image has 1, 3 or 4 channels, got {channels}.");
        var length = checked(rows * cols * channels);
        if (data is not null && data.Length != length)
            throw new ArgumentException($"A {cols}x{rows}x{channels} image holds {length} bytes, got {data.Length}.", nameof(data));
        Rows = rows;
        Cols = cols;
        Channels = channels;
        Data = data ?? new byte[length];
    }

    public int Rows { get; }

    public int Cols { get; }

    public int Channels { get; }

    /// <summary>The pixels, row-major, channels interleaved.</summary>
    public byte[] Data { get; }

    public byte this[int row, int col, int channel = 0]
    {
        get => Data[Offset(row, col, channel)];
        set => Data[Offset(row, col, channel)] = value;
    }

    public PixelImage Clone() => new(Rows, Cols, Channels, (byte[])Data.Clone());

    /// <summary>A new image of the same size and channels, all zero.</summary>
    public PixelImage EmptyLike() => new(Rows, Cols, Channels);

    public override string ToString() => $"PixelImage {Cols}x{Rows}x{Channels}";

    /// <summary>An image from planar CHW bytes (a batch slot's layout), interleaved into HWC.</summary>
    public static PixelImage FromChw(ReadOnlySpan<byte> chw, int channels, int height, int width)
    {
        var image = new PixelImage(height, width, channels);
        if (chw.Length != image.Data.Length)
            throw new ArgumentException($"A {width}x{height}x{channels} image holds {image.Data.Length} bytes, got {chw.Length}.", nameof(chw));
        if (channels == 1) { chw.CopyTo(image.Data); return image; }
        var plane = height * width;
        for (var c = 0; c < channels; c++)
            for (var j = 0; j < plane; j++)
                image.Data[j * channels + c] = chw[c * plane + j];
        return image;
    }

    /// <summary>Writes the pixels as planar CHW bytes (a batch slot's layout) into <paramref name="chw"/>.</summary>
    public void CopyToChw(Span<byte> chw)
    {
        if (chw.Length != Data.Length)
            throw new ArgumentException($"A {Cols}x{Rows}x{Channels} image holds {Data.Length} bytes, the target {chw.Length}.", nameof(chw));
        if (Channels == 1) { Data.CopyTo(chw); return; }
        var plane = Rows * Cols;
        for (var c = 0; c < Channels; c++)
            for (var j = 0; j < plane; j++)
                chw[c * plane + j] = Data[j * Channels + c];
    }

    /// <summary>(H, W), (1|3, H, W) or a batch of one of those, at least 8 pixels a side: something to look at.</summary>
    public static bool LooksLikeImage(torch.Tensor t)
    {
        var s = t.shape;
        var dims = s.SkipWhile((d, i) => d == 1 && s.Length - i > 3).ToArray();
        return (dims.Length == 2 || (dims.Length == 3 && dims[0] is 1 or 3)) && dims[^1] >= 8 && dims[^2] >= 8;
    }

    /// <summary>
    /// A tensor as an image: (H, W), (C, H, W) with C = 1 or 3, or a batch of one. uint8 keeps its values; anything
    /// else is stretched from its own min..max to 0..255 (a feature map's scale is arbitrary).
    /// </summary>
    public static PixelImage FromTensor(torch.Tensor image)
    {
        using var scope = torch.NewDisposeScope();
        var t = image.detach().cpu();
        while (t.ndim > 3 && t.shape[0] == 1) t = t.squeeze(0);
        if (t.ndim == 2) t = t.unsqueeze(0);
        if (t.ndim != 3 || t.shape[0] is not (1 or 3))
            throw new ArgumentException($"An image tensor is (H, W), (1|3, H, W) or (1, 1|3, H, W), got [{string.Join(", ", image.shape)}].");
        if (t.dtype != torch.ScalarType.Byte)
        {
            var f = t.to(torch.ScalarType.Float32);
            var (lo, hi) = (f.min().item<float>(), f.max().item<float>());
            var span = hi > lo ? hi - lo : 1f;
            t = ((f - lo) * (255f / span)).round().clamp(0, 255).to(torch.ScalarType.Byte);
        }
        var (c, h, w) = ((int)t.shape[0], (int)t.shape[1], (int)t.shape[2]);
        return new PixelImage(h, w, c, t.permute(1, 2, 0).contiguous().ToArray<byte>());
    }

    private int Offset(int row, int col, int channel)
    {
        if ((uint)row >= (uint)Rows || (uint)col >= (uint)Cols || (uint)channel >= (uint)Channels)
            throw new IndexOutOfRangeException($"Pixel ({row}, {col}, {channel}) is outside the {Cols}x{Rows}x{Channels} image.");
        return (row * Cols + col) * Channels + channel;
    }
}
