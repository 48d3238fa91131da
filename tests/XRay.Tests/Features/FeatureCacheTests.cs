using XRay.Data;
using XRay.Features;
using XRay.Models;
using XRay.Synthetic;

namespace XRay.Tests.Features;

public class FeatureCacheTests
{
    private static readonly Preprocessing Gray48 = new(48, 48, ColorMode.Grayscale);

    private static ImageFolder SmallSet()
    {
        var root = SyntheticChestXray.Generate(TestFiles.TempFolder(), new SyntheticOptions { PerClass = 6, TestPerClass = 1, Size = 48, Seed = 9 }).Root;
        return ImageDataset.Open(root, validationFraction: 0).Split("train");
    }

    [Fact]
    public void A_second_extraction_reads_the_file_and_runs_no_image_through_the_model()
    {
        var folder = SmallSet();
        var cache = TestFiles.TempFolder();
        using var first = FeatureExtractor.FromArchitecture(ModelFactory.BlogCnnArch, Gray48, seed: 1);
        var computed = FeatureCache.Extract(first, folder, cache);
        var written = File.GetLastWriteTimeUtc(computed.FilePath!);

        using var second = FeatureExtractor.FromArchitecture(ModelFactory.BlogCnnArch, Gray48, seed: 1); // same weights, new object
        var cached = FeatureCache.Extract(second, folder, cache);

        Assert.False(computed.LoadedFromDisk);
        Assert.Equal(18, first.ImagesRun);
        Assert.True(cached.LoadedFromDisk);
        Assert.Equal(0, second.ImagesRun);
        Assert.Equal(computed.FilePath, cached.FilePath);
        Assert.Equal(written, File.GetLastWriteTimeUtc(cached.FilePath!)); // read, not rewritten
        Assert.Equal(computed.Paths, cached.Paths);
        Assert.Equal(computed.Labels, cached.Labels);
        Assert.Equal(computed.Rows, cached.Rows);
        Assert.Equal(folder.Samples.Select(s => s.Path), cached.Paths); // file order, no shuffle
    }

    [Fact]
    public void A_changed_checkpoint_or_preprocessing_throws_the_cached_features_away()
    {
        var folder = SmallSet();
        var cache = TestFiles.TempFolder();
        var checkpoint = Path.Combine(TestFiles.TempFolder(), "cnn.pt");
        using (var original = FeatureExtractor.FromArchitecture(ModelFactory.BlogCnnArch, Gray48, seed: 1)) original.Save(checkpoint, folder.ClassNames);
        using var before = FeatureExtractor.FromCheckpoint(checkpoint);
        var old = FeatureCache.Extract(before, folder, cache);

        // Retrained: the same path, other weights.
        using (var retrained = FeatureExtractor.FromArchitecture(ModelFactory.BlogCnnArch, Gray48, seed: 2)) retrained.Save(checkpoint, folder.ClassNames);
        using var after = FeatureExtractor.FromCheckpoint(checkpoint);
        var renewed = FeatureCache.Extract(after, folder, cache);

        Assert.False(renewed.LoadedFromDisk);
        Assert.Equal(18, after.ImagesRun);
        Assert.Equal(old.FilePath, renewed.FilePath); // the stale file was replaced, not kept beside
        Assert.NotEqual(old.Rows[0], renewed.Rows[0]);
        Assert.Single(Directory.GetFiles(cache));

        // Other preprocessing (same size, other scaling): extracted again too.
        using var rescaled = new FeatureExtractor(after.Model, after.Preprocessing with { Mean = 0.5, Std = 0.25 });
        var rescaledSet = FeatureCache.Extract(rescaled, folder, cache);
        Assert.False(rescaledSet.LoadedFromDisk);
        Assert.Equal(18, rescaled.ImagesRun);

        // And the newest features are what the next run reads.
        using var again = new FeatureExtractor(after.Model, after.Preprocessing with { Mean = 0.5, Std = 0.25 });
        var reread = FeatureCache.Extract(again, folder, cache);
        Assert.True(reread.LoadedFromDisk);
        Assert.Equal(rescaledSet.Rows, reread.Rows);
    }

    [Fact]
    public void A_changed_image_file_is_extracted_again_and_a_corrupt_cache_file_is_only_a_slower_start()
    {
        var folder = SmallSet();
        var cache = TestFiles.TempFolder();
        using var extractor = FeatureExtractor.FromArchitecture(ModelFactory.BlogCnnArch, Gray48, seed: 1);
        var first = FeatureCache.Extract(extractor, folder, cache);

        File.SetLastWriteTimeUtc(folder.Samples[0].Path, DateTime.UtcNow.AddMinutes(1));
        Assert.False(FeatureCache.Extract(extractor, folder, cache).LoadedFromDisk);

        File.WriteAllBytes(first.FilePath!, File.ReadAllBytes(first.FilePath!)[..100]);
        var recovered = FeatureCache.Extract(extractor, folder, cache);
        Assert.False(recovered.LoadedFromDisk);
        Assert.Equal(first.Rows, recovered.Rows);
        Assert.True(FeatureCache.Extract(extractor, folder, cache).LoadedFromDisk);
    }
}
