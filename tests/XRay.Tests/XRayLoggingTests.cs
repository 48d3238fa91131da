using Microsoft.Extensions.Logging;
using XRay.Data;
using XRay.Imaging;

namespace XRay.Tests;

public class XRayLoggingTests
{
    [Fact]
    public void A_cache_that_cannot_be_saved_is_a_warning_on_the_supplied_logger_and_the_pixels_are_still_there()
    {
        var logs = CapturedLogs.Installed;
        var dir = TestFiles.TempFolder();
        var image = Path.Combine(dir, "a.jpg");
        TestFiles.WriteJpeg(image, 80);
        // The cache folder's name is taken by a file: creating the folder fails with an IOException.
        var blocked = Path.Combine(dir, "not-a-folder");
        File.WriteAllText(blocked, "");

        var cache = PreprocessedCache.Build([new ImageSample(image, 0)], new Preprocessing(8, 8), Interpolation.Area,
            maxPixels: 1 << 20, workers: 1, directory: blocked);

        Assert.Null(cache.FilePath);
        Assert.InRange(cache.Slot(0)[0], (byte)78, (byte)82);
        var entry = Assert.Single(logs.Containing(blocked));
        Assert.Equal((LogLevel.Warning, typeof(PreprocessedCache).FullName), (entry.Level, entry.Category));
        Assert.StartsWith("Could not save the image cache to", entry.Message);
        Assert.IsAssignableFrom<IOException>(entry.Exception);
    }

    [Fact]
    public void The_factory_cannot_be_null()
    {
        Assert.Throws<ArgumentNullException>(() => XRayLogging.LoggerFactory = null!);
    }
}
