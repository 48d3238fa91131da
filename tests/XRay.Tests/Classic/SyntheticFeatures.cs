using XRay.Data;
using XRay.Features;
using XRay.Models;
using XRay.Synthetic;

namespace XRay.Tests.Classic;

/// <summary>
/// One synthetic set (3 classes; 40 train, 15 test images each; 64 px) and the blog CNN's features of its train, val
/// (20% of train, stratified) and test splits, made once for the classifier tests.
/// </summary>
internal sealed class SyntheticFeatures
{
    private static readonly Lazy<SyntheticFeatures> Shared = new(() => new SyntheticFeatures());

    private SyntheticFeatures()
    {
        Data = SyntheticChestXray.Generate(TestFiles.TempFolder(), new SyntheticOptions { PerClass = 40, TestPerClass = 15, Size = 64, Seed = 11 }).Root;
        Dataset = ImageDataset.Open(Data, seed: 4);
        Extractor = FeatureExtractor.FromArchitecture(ModelFactory.BlogCnnArch, new Preprocessing(64, 64, ColorMode.Grayscale), seed: 1);
        var cache = TestFiles.TempFolder();
        Train = FeatureCache.Extract(Extractor, Dataset.Train!, cache);
        Val = FeatureCache.Extract(Extractor, Dataset.Val!, cache);
        Test = FeatureCache.Extract(Extractor, Dataset.Test!, cache);
    }

    public static SyntheticFeatures Instance => Shared.Value;

    public string Data { get; }

    public ImageDataset Dataset { get; }

    public FeatureExtractor Extractor { get; }

    public FeatureSet Train { get; }

    public FeatureSet Val { get; }

    public FeatureSet Test { get; }
}
