using XRay.Imaging;
using XRay.TestSupport;

namespace XRay.Tests.Imaging;

public class ImageFileCheckTests
{
    [Fact]
    public void Each_kind_of_bad_file_gets_its_reason_and_good_files_pass()
    {
        var dir = TestFiles.TempFolder();
        var good = Path.Combine(dir, "good.jpg");
        TestFiles.WriteJpeg(good, 100, 32);
        var jpeg = File.ReadAllBytes(good);

        File.WriteAllBytes(Path.Combine(dir, "empty.jpg"), Array.Empty<byte>());
        File.WriteAllBytes(Path.Combine(dir, "truncated.jpg"), jpeg[..(jpeg.Length / 2)]);
        File.WriteAllText(Path.Combine(dir, "text.jpg"), "this is not a picture");
        File.WriteAllText(Path.Combine(dir, "notes.txt"), "hello");
        var bomb = PngBytes.WithSize(Cv.ImEncodePng(new PixelImage(1, 1, 1)), 20000, 20000);
        File.WriteAllBytes(Path.Combine(dir, "bomb.png"), bomb);

        Assert.Null(ImageFileCheck.Problem(good));
        Assert.Equal("empty file (0 bytes)", ImageFileCheck.Problem(Path.Combine(dir, "empty.jpg")));
        Assert.Contains("truncated JPEG", ImageFileCheck.Problem(Path.Combine(dir, "truncated.jpg")));
        Assert.Contains("not an image: the content is not JPEG", ImageFileCheck.Problem(Path.Combine(dir, "text.jpg")));
        Assert.Contains("not an image file (extension '.txt'", ImageFileCheck.Problem(Path.Combine(dir, "notes.txt")));
        Assert.Contains("too large: 20000x20000", ImageFileCheck.Problem(Path.Combine(dir, "bomb.png")));
        Assert.Contains("unreadable", ImageFileCheck.Problem(Path.Combine(dir, "missing.jpg")));
    }

    [Fact]
    public void An_upload_in_memory_gets_the_same_checks_and_only_a_bomb_is_marked_over_the_pixel_limit()
    {
        var dir = TestFiles.TempFolder();
        var good = Path.Combine(dir, "good.jpg");
        TestFiles.WriteJpeg(good, 100, 32);
        var jpeg = File.ReadAllBytes(good);
        var bomb = PngBytes.WithSize(Cv.ImEncodePng(new PixelImage(1, 1, 1)), 20000, 20000);
        var cases = new (byte[] Bytes, string Name)[]
        {
            (jpeg, "good.jpg"), (Array.Empty<byte>(), "empty.jpg"), (jpeg[..(jpeg.Length / 2)], "truncated.jpg"),
            ("this is not a picture"u8.ToArray(), "text.jpg"), (jpeg, "notes.txt"), (bomb, "bomb.png"),
        };
        foreach (var (bytes, name) in cases)
        {
            var file = Path.Combine(dir, "file-" + name);
            File.WriteAllBytes(file, bytes);
            using var stream = new MemoryStream(bytes);
            var problem = ImageFileCheck.Check(stream, name);
            Assert.Equal(ImageFileCheck.Problem(file), problem?.Reason);
            Assert.Equal(name == "bomb.png", problem?.OverPixelLimit ?? false);
        }
    }
}
