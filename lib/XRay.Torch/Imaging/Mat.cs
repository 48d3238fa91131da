namespace XRay.Torch.Imaging;

/// <summary>
/// An 8-bit image in managed memory: <see cref="Rows"/> x <see cref="Cols"/> x <see cref="Channels"/>, interleaved (HWC)
/// like an OpenCV Mat or a numpy array from cv2, but RGB (not BGR) when it has 3 channels.
/// </summary>
public sealed class Mat
{
    public Mat(int rows, int cols, int channels, byte[]? data = null)
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

    public Mat Clone() => new(Rows, Cols, Channels, (byte[])Data.Clone());

    /// <summary>A new image of the same size and channels, all zero.</summary>
    public Mat EmptyLike() => new(Rows, Cols, Channels);

    public override string ToString() => $"Mat {Cols}x{Rows}x{Channels}";

    private int Offset(int row, int col, int channel)
    {
        if ((uint)row >= (uint)Rows || (uint)col >= (uint)Cols || (uint)channel >= (uint)Channels)
            throw new IndexOutOfRangeException($"Pixel ({row}, {col}, {channel}) is outside the {Cols}x{Rows}x{Channels} image.");
        return (row * Cols + col) * Channels + channel;
    }
}
