using XRay.Runtime;
using XRay.Data;
using XRay.Imaging;

namespace XRay.Tests.Data;

public class ImageLoaderTests
{
    [Fact]
    public void Load_gives_a_chw_float_tensor_scaled_and_normalized()
    {
        var path = Path.Combine(TestFiles.TempFolder(), "x.png");
        TestFiles.WritePng(path, new PixelImage(4, 4, 3, Enumerable.Repeat(new byte[] { 255, 0, 51 }, 16).SelectMany(b => b).ToArray()));
        using var x = ImageLoader.Load(path, new Preprocessing(2, 2, ColorMode.Rgb, Mean: 0.5, Std: 0.5));
        Assert.Equal(new long[] { 3, 2, 2 }, x.shape);
        // (255/255 - 0.5)/0.5 = 1, (0 - 0.5)/0.5 = -1, (51/255 - 0.5)/0.5 = -0.6.
        var values = x.ToArray<float>();
        Assert.All(values[..4], v => Assert.Equal(1f, v, 5));
        Assert.All(values[4..8], v => Assert.Equal(-1f, v, 5));
        Assert.All(values[8..], v => Assert.Equal(-0.6f, v, 5));
    }

    [Fact]
    public void Bytes_in_memory_load_as_the_file_does_and_ToImage_gives_back_the_pixels()
    {
        var path = Path.Combine(TestFiles.TempFolder(), "x.png");
        var mat = new PixelImage(5, 6, 3, Enumerable.Range(0, 90).Select(i => (byte)(i * 37 % 256)).ToArray());
        TestFiles.WritePng(path, mat);
        var preprocessing = new Preprocessing(5, 6, ColorMode.Rgb, Mean: 0.4, Std: 0.25);
        using var fromFile = ImageLoader.Load(path, preprocessing);
        using var fromBytes = ImageLoader.Load(File.ReadAllBytes(path), "upload.png", preprocessing);
        Assert.True(fromFile.equal(fromBytes).all().item<bool>());
        Assert.Equal(mat.Data, ImageLoader.ToImage(fromBytes, preprocessing).Data);
        Assert.Equal(mat.Data, ImageLoader.ToImage(fromBytes.unsqueeze(0), preprocessing).Data);
        Assert.Throws<ArgumentException>(() => ImageLoader.ToImage(fromBytes, preprocessing with { Height = 4 }));
        Assert.Equal("upload.png", Assert.Throws<ImageLoadException>(() => ImageLoader.Load(Array.Empty<byte>(), "upload.png", preprocessing)).Path);
    }

    [Fact]
    public void Errors_name_the_file_and_the_reason()
    {
        var dir = TestFiles.TempFolder();
        var bad = Path.Combine(dir, "bad.jpg");
        File.WriteAllText(bad, "no pixels here");
        var e = Assert.Throws<ImageLoadException>(() => ImageLoader.Read(bad));
        Assert.Equal(bad, e.Path);
        Assert.Contains("not an image", e.Reason);
        Assert.Contains("file not found", Assert.Throws<ImageLoadException>(() => ImageLoader.Read(Path.Combine(dir, "nope.jpg"))).Reason);
    }
}
