using XRay.Augmentation;
using XRay.Imaging;

namespace XRay.Tests.Augmentation;

public class CovidOfflineAugmentationTests
{
    [Fact]
    public void Each_source_gives_itself_and_five_variants_written_as_png()
    {
        var source = TestFiles.TempFolder();
        for (var i = 0; i < 3; i++) TestFiles.WriteJpeg(Path.Combine(source, $"covid{i}.jpg"), 50 + i, 40);
        File.WriteAllText(Path.Combine(source, "broken.jpg"), "nope");
        var target = TestFiles.TempFolder();

        var (written, skipped) = CovidOfflineAugmentation.WriteFolder(source, target, limit: 10, size: 32);

        Assert.Equal(18, written);
        Assert.Equal("broken.jpg", Path.GetFileName(Assert.Single(skipped).Path));
        Assert.Equal(18, Directory.GetFiles(target, "*.png").Length);
        var img = new PixelImage(8, 8, 1);
        var expanded = CovidOfflineAugmentation.Expand(img);
        Assert.Equal(6, expanded.Count);
        Assert.Same(img, expanded[0]);
    }
}
