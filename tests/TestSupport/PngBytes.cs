using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace XRay.TestSupport;

/// <summary>Writes minimal PNGs byte by byte (shared by the image and web app tests), for inputs OpenCV's encoder does not make (16-bit, RGBA with alpha).</summary>
internal static class PngBytes
{
    /// <param name="colorType">0 gray, 2 RGB, 6 RGBA.</param>
    /// <param name="samples">One value per channel per pixel, row-major; 16-bit values are written big-endian.</param>
    public static byte[] Create(int width, int height, int bitDepth, int colorType, int[] samples)
    {
        var channels = colorType switch { 0 => 1, 2 => 3, 6 => 4, _ => throw new ArgumentException("color type") };
        var bytesPerSample = bitDepth / 8;
        var raw = new MemoryStream();
        for (var y = 0; y < height; y++)
        {
            raw.WriteByte(0); // filter: none
            for (var i = 0; i < width * channels; i++)
            {
                var v = samples[y * width * channels + i];
                if (bytesPerSample == 2) raw.WriteByte((byte)(v >> 8));
                raw.WriteByte((byte)v);
            }
        }
        var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) z.Write(raw.ToArray());
        var png = new MemoryStream();
        png.Write(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10 });
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = (byte)bitDepth;
        ihdr[9] = (byte)colorType;
        Chunk(png, "IHDR", ihdr);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", Array.Empty<byte>());
        return png.ToArray();
    }

    /// <summary>A copy of <paramref name="png"/> whose IHDR claims another size, its CRC fixed: a decompression bomb's header.</summary>
    public static byte[] WithSize(byte[] png, int width, int height)
    {
        var result = (byte[])png.Clone();
        BinaryPrimitives.WriteInt32BigEndian(result.AsSpan(16), width);
        BinaryPrimitives.WriteInt32BigEndian(result.AsSpan(20), height);
        BinaryPrimitives.WriteUInt32BigEndian(result.AsSpan(29), Crc32(result[12..29])); // over "IHDR" + its 13 bytes
        return result;
    }

    /// <summary>
    /// A copy of <paramref name="png"/> (one IDAT chunk) whose compressed pixels are scrambled, the chunk's CRC fixed: the
    /// header reads fine, decoding fails (a corrupt file).
    /// </summary>
    public static byte[] WithCorruptPixels(byte[] png)
    {
        var result = (byte[])png.Clone();
        var type = result.AsSpan().IndexOf("IDAT"u8);
        var length = BinaryPrimitives.ReadInt32BigEndian(result.AsSpan(type - 4));
        for (var i = type + 4 + 2; i < type + 4 + length; i += 3) result[i] ^= 0x5A; // past the 2-byte zlib header
        BinaryPrimitives.WriteUInt32BigEndian(result.AsSpan(type + 4 + length), Crc32(result[type..(type + 4 + length)]));
        return result;
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        var header = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(header, data.Length);
        s.Write(header);
        var body = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        s.Write(body);
        BinaryPrimitives.WriteUInt32BigEndian(header, Crc32(body));
        s.Write(header);
    }

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}
