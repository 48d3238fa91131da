using System.Buffers.Binary;
using XRay.Imaging;
using XRay.TestSupport;

namespace XRay.Tests.Imaging;

// Expected pixels are computed by hand in the comments; CvParityTests compares with Python cv2 on real images.
public class CvTests
{
    private static PixelImage Gray(int rows, int cols, params byte[] data) => new(rows, cols, 1, data);

    [Fact]
    public void Filter2D_average_uses_reflect101_borders_and_rounds()
    {
        // A single 90 in the centre. Centre: 90/9 = 10. Edge (0,1): rows {1,0,1} see row 1 twice -> 180/9 = 20.
        // Corner: the centre pixel is seen 2x2 times -> 360/9 = 40.
        var result = Cv.Blur(Gray(3, 3, 0, 0, 0, 0, 90, 0, 0, 0, 0), 3);
        Assert.Equal(new byte[] { 40, 20, 40, 20, 10, 20, 40, 20, 40 }, result.Data);
    }

    [Fact]
    public void Resize_area_averages_blocks_when_shrinking()
    {
        var src = Gray(4, 4, Enumerable.Range(0, 16).Select(i => (byte)(i * 10)).ToArray());
        var result = Cv.Resize(src, 2, 2); // Auto -> area when shrinking
        // Blocks: (0+10+40+50)/4 = 25, (20+30+60+70)/4 = 45, (80+90+120+130)/4 = 105, (100+110+140+150)/4 = 125.
        Assert.Equal(new byte[] { 25, 45, 105, 125 }, result.Data);
    }

    [Fact]
    public void Flip_and_warp_move_pixels_where_expected()
    {
        var src = Gray(2, 3, 1, 2, 3, 4, 5, 6);
        Assert.Equal(new byte[] { 3, 2, 1, 6, 5, 4 }, Cv.Flip(src, 1).Data);
        Assert.Equal(new byte[] { 4, 5, 6, 1, 2, 3 }, Cv.Flip(src, 0).Data);
        // Output x reads input x + 1; the last column replicates the border.
        var shifted = Cv.WarpAffine(Gray(1, 3, 10, 20, 30), new double[] { 1, 0, 1, 0, 1, 0 }, 3, 1);
        Assert.Equal(new byte[] { 20, 30, 30 }, shifted.Data);
    }

    [Fact]
    public void Canny_marks_a_vertical_step_at_its_boundary_only()
    {
        var data = new byte[8 * 8];
        for (var y = 0; y < 8; y++)
            for (var x = 4; x < 8; x++)
                data[y * 8 + x] = 200;
        var edges = Cv.Canny(Gray(8, 8, data), 50, 225);
        for (var y = 0; y < 8; y++)
            for (var x = 0; x < 8; x++)
                Assert.True(edges[y, x] == 0 || x is 3 or 4, $"unexpected edge at ({y},{x})");
        Assert.All(edges.Data, v => Assert.True(v is 0 or 255));
        Assert.Contains((byte)255, edges.Data);
    }

    [Fact]
    public void Png_round_trip_is_lossless_and_jpeg_is_deterministic()
    {
        var src = new PixelImage(3, 2, 3, Enumerable.Range(0, 18).Select(i => (byte)(i * 13)).ToArray());
        var decoded = Cv.ImDecode(Cv.ImEncodePng(src), channels: 3);
        Assert.Equal(src.Data, decoded.Data);
        Assert.Equal(Cv.ImEncodeJpeg(src, 90), Cv.ImEncodeJpeg(src, 90));
    }

    [Fact]
    public void Decode_drops_alpha_and_converts_rgba_to_gray_by_luma()
    {
        // Opaque red and half-transparent blue.
        var png = PngBytes.Create(2, 1, 8, 6, new[] { 255, 0, 0, 255, 0, 0, 255, 128 });
        Assert.Equal(new byte[] { 255, 0, 0, 0, 0, 255 }, Cv.ImDecode(png, 3).Data);
        // Gray = 0.299 R + 0.587 G + 0.114 B: 76.2 and 29.1.
        var gray = Cv.ImDecode(png, 1).Data;
        Assert.InRange(gray[0], 75, 77);
        Assert.InRange(gray[1], 28, 30);
    }

    [Fact]
    public void Decode_reduces_16_bit_to_8_bit()
    {
        var png = PngBytes.Create(3, 1, 16, 0, new[] { 0x0000, 0x1200, 0xFFFF });
        Assert.Equal(new byte[] { 0, 18, 255 }, Cv.ImDecode(png, 1).Data);
    }

    [Fact]
    public void Decode_resize_writes_planar_rgb_into_the_callers_buffer()
    {
        var png = Cv.ImEncodePng(new PixelImage(1, 2, 3, new byte[] { 255, 0, 0, 0, 255, 0 }));
        var chw = new byte[6];
        Cv.ImDecodeResize(png, chw, 1, 2, 3, planar: true);
        Assert.Equal(new byte[] { 255, 0, 0, 255, 0, 0 }, chw); // R plane, G plane, B plane
        var wrong = new byte[5];
        Assert.Contains("need 6", Assert.Throws<ArgumentException>(() => Cv.ImDecodeResize(png, wrong, 1, 2, 3)).Message);
    }

    [Fact]
    public void Decode_resize_rgb_equals_decode_then_resize_in_both_layouts()
    {
        // Random, distinct channels: an R/B swap done in the wrong place, or a plane in the wrong slot, would show.
        var random = new Random(3);
        var pixels = new byte[12 * 10 * 3];
        random.NextBytes(pixels);
        var png = Cv.ImEncodePng(new PixelImage(12, 10, 3, pixels));
        foreach (var (h, w) in new[] { (6, 5), (12, 10), (4, 7), (20, 15) }) // area, copy, area, linear
        {
            var expected = Cv.Resize(Cv.ImDecode(png, 3), w, h).Data; // RGB, interleaved
            var hwc = new byte[h * w * 3];
            Cv.ImDecodeResize(png, hwc, h, w, 3, planar: false);
            Assert.Equal(expected, hwc);
            var chw = new byte[h * w * 3];
            Cv.ImDecodeResize(png, chw, h, w, 3, planar: true);
            for (var c = 0; c < 3; c++)
                for (var j = 0; j < h * w; j++)
                    Assert.Equal(expected[j * 3 + c], chw[c * h * w + j]);
        }
    }

    [Fact]
    public void Probe_reads_jpeg_png_and_bmp_headers()
    {
        var jpeg = Cv.Probe(Cv.ImEncodeJpeg(new PixelImage(5, 7, 1)));
        Assert.Equal(new ImageHeader(ImageFormat.Jpeg, 7, 5), jpeg);
        Assert.Equal(new ImageHeader(ImageFormat.Png, 7, 5), Cv.Probe(Cv.ImEncodePng(new PixelImage(5, 7, 3))));
        var bmp = new byte[54];
        bmp[0] = (byte)'B';
        bmp[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(18), 640);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(22), -480); // top-down
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(26), 1); // planes
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(28), 24); // bits per pixel
        Assert.Equal(new ImageHeader(ImageFormat.Bmp, 640, 480), Cv.Probe(bmp));
        Assert.Equal(ImageFormat.Unknown, Cv.Probe("hello"u8).Format);
        Assert.False(Cv.Probe(Cv.ImEncodePng(new PixelImage(5, 7, 1)).AsSpan(0, 20)).HasSize);
    }

    [Fact]
    public void Probe_reads_the_size_from_the_first_256_KiB_of_a_large_jpeg()
    {
        // ImageFileCheck probes only a file's head; a noisy 1500x1200 JPEG is far larger than that.
        var pixels = new byte[1200 * 1500];
        new Random(1).NextBytes(pixels);
        var jpeg = Cv.ImEncodeJpeg(new PixelImage(1200, 1500, 1, pixels), 100);
        Assert.True(jpeg.Length > 1_000_000);
        Assert.Equal(new ImageHeader(ImageFormat.Jpeg, 1500, 1200), Cv.Probe(jpeg.AsSpan(0, 256 * 1024)));
    }

    [Fact]
    public void Pixel_limit_refuses_a_bomb_from_its_header_before_decoding()
    {
        // A 1x1 PNG whose header claims 10000 x 6000 = 60 MP: refused from the header, nothing is allocated.
        var png = PngBytes.WithSize(Cv.ImEncodePng(new PixelImage(1, 1, 1)), 10000, 6000);
        var e = Assert.Throws<ArgumentException>(() => Cv.ImDecode(png));
        Assert.Contains("60000000 pixels, over the limit of 50000000", e.Message);
        var small = Cv.ImEncodePng(new PixelImage(10, 10, 1));
        Assert.Throws<ArgumentException>(() => Cv.ImDecode(small, maxPixels: 50));
        Assert.Equal(100, Cv.ImDecode(small, maxPixels: 100).Data.Length);
    }

    [Fact]
    public void A_20000_squared_png_or_jpeg_header_is_refused_fast_without_decoding()
    {
        // OpenCV itself would allocate 400 MP (1.2 GB as BGR) for these and decode them; the header check stops them first.
        var png = PngBytes.WithSize(Cv.ImEncodePng(new PixelImage(8, 8, 3)), 20000, 20000);
        var jpeg = Cv.ImEncodeJpeg(new PixelImage(8, 8, 3));
        var sof = jpeg.AsSpan().IndexOf(new byte[] { 0xFF, 0xC0 }); // baseline frame header: FFC0, length, precision, H, W
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 5), 20000);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 7), 20000);
        foreach (var (bomb, format) in new[] { (png, ImageFormat.Png), (jpeg, ImageFormat.Jpeg) })
        {
            Assert.Equal(new ImageHeader(format, 20000, 20000), Cv.Probe(bomb));
            var before = PeakRss.Reset();
            foreach (var channels in new[] { 1, 3 })
            {
                var e = Assert.Throws<ArgumentException>(() => Cv.ImDecode(bomb, channels));
                Assert.Contains("20000x20000 = 400000000 pixels, over the limit of 50000000", e.Message);
                var output = new byte[224 * 224 * channels];
                e = Assert.Throws<ArgumentException>(() => Cv.ImDecodeResize(bomb, output, 224, 224, channels, planar: true));
                Assert.Contains("400000000 pixels", e.Message);
            }
            // Decoding would allocate 400 MB or more; refusing from the header allocates next to nothing. (Memory, not time:
            // how long either takes depends on how busy the machine is. Tests in this assembly do not run in parallel.)
            var grew = PeakRss.Bytes() - before;
            Assert.True(grew < 100_000_000, $"{format}: the peak RSS grew by {grew / 1e6:F0} MB while refusing");
        }
    }

    [Fact]
    public void ApplyColorMap_takes_opencvs_maps_by_name()
    {
        // Each ColorMap goes straight to cv::applyColorMap, so it must be OpenCV's code of the same name.
        foreach (var map in Enum.GetValues<ColorMap>())
            Assert.Equal(map.ToString(), ((OpenCvSharp.ColormapTypes)(int)map).ToString());
        var ramp = Gray(1, 2, 0, 255);
        var jet = Cv.ApplyColorMap(ramp); // Jet: blue (low) to red (high), in RGB order
        Assert.True(jet[0, 0, 2] > jet[0, 0, 0] && jet[0, 1, 0] > jet[0, 1, 2], string.Join(",", jet.Data));
        Assert.NotEqual(jet.Data, Cv.ApplyColorMap(ramp, ColorMap.Bone).Data);
        Assert.Contains("unknown color map", Assert.Throws<ArgumentException>(() => Cv.ApplyColorMap(ramp, (ColorMap)99)).Message);
    }

    [Fact]
    public void Version_is_opencvsharps_opencv()
    {
        Assert.Matches(@"^4\.\d+\.\d+", Cv.Version);
    }

    [Fact]
    public void Bad_bytes_give_clear_errors()
    {
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => Cv.ImDecode(Array.Empty<byte>())).Message);
        Assert.Contains("could not decode", Assert.Throws<ArgumentException>(() => Cv.ImDecode("not an image at all"u8)).Message);
        Assert.Contains("channels must be 1", Assert.Throws<ArgumentException>(() => Cv.ImDecode(Cv.ImEncodePng(new PixelImage(2, 2, 1)), 2)).Message);
        Assert.Contains("unknown interpolation", Assert.Throws<ArgumentException>(() => Cv.Resize(new PixelImage(2, 2, 1), 4, 4, (Interpolation)7)).Message);
        var jpeg = Cv.ImEncodeJpeg(new PixelImage(64, 64, 1));
        Assert.Throws<ArgumentException>(() => Cv.ImDecode(jpeg.AsSpan(0, 10)));
    }
}
