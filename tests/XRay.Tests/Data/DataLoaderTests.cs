using XRay.Runtime;
using XRay.Augmentation;
using XRay.Data;

namespace XRay.Tests.Data;

public class DataLoaderTests
{
    private static readonly Preprocessing Small = new(8, 8);

    // 2 classes x 11 images; each image is a flat gray level, so a batch's pixels identify its files.
    private static string MakeFolder()
    {
        var dir = TestFiles.TempFolder();
        for (var i = 0; i < 11; i++)
        {
            TestFiles.WriteJpeg(Path.Combine(dir, "train", "NORMAL", $"n{i:D2}.jpg"), 10 + i * 10);
            TestFiles.WriteJpeg(Path.Combine(dir, "train", "PNEUMONIA", $"p{i:D2}.jpg"), 15 + i * 10);
        }
        return dir;
    }

    private static DataLoaderOptions Options(CacheMode cache = CacheMode.Memory, long seed = 3) =>
        new() { BatchSize = 4, Seed = seed, Cache = cache, CacheDirectory = TestFiles.TempFolder() };

    private static ImageFolder Folder(string dir) => new(Path.Combine(dir, "train"));

    private static List<string> Paths(DataLoader loader, int epoch)
    {
        var paths = new List<string>();
        foreach (var batch in loader.GetBatches(epoch))
            using (batch)
                paths.AddRange(batch.Paths);
        return paths;
    }

    [Fact]
    public void Every_image_appears_exactly_once_per_epoch_with_its_label()
    {
        var folder = Folder(MakeFolder());
        var loader = DataLoader.FromImageFolder(folder, Small, Options());
        Assert.Equal(22, loader.SampleCount);
        Assert.Equal(6, loader.BatchCount);
        var seen = new List<string>();
        foreach (var batch in loader.GetBatches(0))
            using (batch)
            {
                Assert.Equal(new long[] { batch.Count, 1, 8, 8 }, batch.Images.shape);
                var labels = batch.Labels.ToArray<long>();
                for (var i = 0; i < batch.Count; i++)
                    Assert.Equal(Path.GetFileName(batch.Paths[i]).StartsWith('n') ? 0 : 1, labels[i]);
                seen.AddRange(batch.Paths);
            }
        Assert.Equal(folder.Samples.Select(s => s.Path).Order(), seen.Order());
    }

    [Fact]
    public void The_same_seed_gives_the_same_order_and_epochs_differ()
    {
        var folder = Folder(MakeFolder());
        var a = DataLoader.FromImageFolder(folder, Small, Options(seed: 5));
        var b = DataLoader.FromImageFolder(folder, Small, Options(seed: 5));
        Assert.Equal(Paths(a, 0), Paths(b, 0));
        Assert.Equal(Paths(a, 1), Paths(b, 1));
        Assert.NotEqual(Paths(a, 0), Paths(a, 1));
        var unshuffled = DataLoader.FromImageFolder(folder, Small, Options() with { Shuffle = false });
        Assert.Equal(folder.Samples.Select(s => s.Path), Paths(unshuffled, 4));
    }

    [Fact]
    public void A_cached_epoch_gives_the_same_tensors_as_an_uncached_one_and_the_disk_cache_is_reused()
    {
        var folder = Folder(MakeFolder());
        var cacheDir = TestFiles.TempFolder();
        var transform = new KerasAugmentation { HorizontalFlip = true, ZoomRange = 0.2, RotationRange = 10 };
        var uncached = DataLoader.FromImageFolder(folder, Small, Options(CacheMode.None) with { Transform = transform });
        var first = DataLoader.FromImageFolder(folder, Small, Options(CacheMode.MemoryAndDisk) with { CacheDirectory = cacheDir, Transform = transform });
        var second = DataLoader.FromImageFolder(folder, Small, Options(CacheMode.MemoryAndDisk) with { CacheDirectory = cacheDir, Transform = transform });

        Assert.False(first.Cache!.LoadedFromDisk);
        Assert.True(second.Cache!.LoadedFromDisk);
        Assert.Equal(22 * 64, first.Cache.TotalBytes);
        foreach (var epoch in new[] { 0, 1 })
        {
            var expected = uncached.GetBatches(epoch).ToList();
            foreach (var loader in new[] { first, second })
            {
                var actual = loader.GetBatches(epoch).ToList();
                Assert.Equal(expected.Count, actual.Count);
                for (var i = 0; i < expected.Count; i++)
                {
                    Assert.True(expected[i].Images.allclose(actual[i].Images, rtol: 0, atol: 0), $"epoch {epoch} batch {i} differs");
                    Assert.True(expected[i].Labels.allclose(actual[i].Labels, rtol: 0, atol: 0));
                    actual[i].Dispose();
                }
            }
            expected.ForEach(b => b.Dispose());
        }
    }

    [Fact]
    public void A_file_that_fails_to_decode_is_left_out_and_reported()
    {
        var dir = MakeFolder();
        // A .tif is not checked from its header, so it reaches the decoder, which refuses it.
        File.WriteAllText(Path.Combine(dir, "train", "NORMAL", "broken.tif"), "II*\0 garbage");
        foreach (var cache in new[] { CacheMode.Memory, CacheMode.None })
        {
            var loader = DataLoader.FromImageFolder(Folder(dir), Small, Options(cache));
            var paths = Paths(loader, 0);
            Assert.Equal(22, paths.Count);
            var skipped = Assert.Single(loader.Skipped);
            Assert.EndsWith("broken.tif", skipped.Path);
            Assert.Equal(22, loader.SampleCount);
            Assert.Equal(22, Paths(loader, 1).Count);
        }
    }

    [Fact]
    public void Balanced_epochs_draw_classes_equally_and_weights_favour_the_rare_class()
    {
        var dir = TestFiles.TempFolder();
        for (var i = 0; i < 30; i++) TestFiles.WriteJpeg(Path.Combine(dir, "A", $"{i}.jpg"), i);
        for (var i = 0; i < 3; i++) TestFiles.WriteJpeg(Path.Combine(dir, "B", $"{i}.jpg"), 100 + i);
        var loader = DataLoader.FromImageFolder(new ImageFolder(dir), Small, Options() with { Balanced = true });
        Assert.Equal(new[] { 33.0 / 60, 33.0 / 6 }, loader.ClassWeights());
        var rare = Enumerable.Range(0, 20).Sum(e => loader.EpochOrder(e).Count(i => i >= 30));
        Assert.InRange(rare, 33 * 20 * 0.4, 33 * 20 * 0.6);
    }

    [Fact]
    public void FromFolder_finds_the_split_and_stops_early_without_leaking()
    {
        var dir = MakeFolder();
        var loader = DataLoader.FromFolder(dir, "val", Small, batchSize: 2, seed: 1,
            options: new DataLoaderOptions { Cache = CacheMode.Memory });
        Assert.Equal(new[] { 2, 2 }, loader.ClassCounts()); // 20% of 11 per class
        foreach (var batch in loader.GetBatches(0))
        {
            batch.Dispose();
            break;
        }
    }

    [Fact]
    public void A_batch_prepared_ahead_that_fails_after_the_consumer_stops_is_logged_not_swallowed()
    {
        var logs = CapturedLogs.Installed;
        var marker = Guid.NewGuid().ToString("N");
        var folder = Folder(MakeFolder());
        // In file order the first batch holds n00..n03 (gray 10..40); every later batch has a brighter image and fails.
        var options = Options() with { Shuffle = false, Prefetch = 3, Transform = new FailAbove(45, marker) };
        var loader = DataLoader.FromImageFolder(folder, Small, options);

        foreach (var batch in loader.GetBatches(0))
        {
            batch.Dispose();
            break;
        }

        var entries = logs.Containing(marker);
        Assert.Equal(2, entries.Count); // the two batches in flight beside the one the consumer took
        Assert.All(entries, e => Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, e.Level));
        Assert.All(entries, e => Assert.IsType<InvalidOperationException>(e.Exception));
        // The batch the consumer asks for still throws to the consumer.
        var thrown = Assert.Throws<InvalidOperationException>(() => loader.GetBatches(0).Skip(1).First().Dispose());
        Assert.Contains(marker, thrown.Message);
    }

    private sealed class FailAbove(byte level, string marker) : XRay.Imaging.IImageTransform
    {
        public XRay.Imaging.PixelImage Apply(XRay.Imaging.PixelImage image, Random random) =>
            image.Data[0] > level ? throw new InvalidOperationException($"bright image {marker}") : image;
    }
}
