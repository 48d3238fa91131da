using XRay.Data;
using static TorchSharp.torch;

namespace XRay.Cli.Commands;

/// <summary>
/// The images evaluate and calibrate score: one split of a dataset folder, in file order, in the checkpoint's class
/// order, with the training seed so a held-out validation split holds the images training held out. Batches reach the
/// device as uint8 and are normalized there, as training's do.
/// </summary>
internal static class SplitLoader
{
    public static DataLoader Open(string data, string split, Preprocessing preprocessing, int batchSize, long splitSeed,
        IReadOnlyList<string> classNames, Device device, string purpose = "")
    {
        var loader = DataLoader.FromFolder(data, split, preprocessing, batchSize, shuffle: false, seed: splitSeed, classOrder: classNames,
            options: new DataLoaderOptions { Cache = CacheMode.None, Device = device });
        return loader.SampleCount > 0 ? loader : throw new InvalidDataException($"The {split} split of '{data}' has no usable images{purpose}.");
    }
}
