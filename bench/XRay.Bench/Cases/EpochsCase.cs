using System.Diagnostics;
using System.Text.Json.Nodes;
using XRay.Augmentation;
using XRay.Data;
using XRay.Models;
using XRay.Training;
using static TorchSharp.torch;

namespace XRay.Bench.Cases;

/// <summary>
/// End-to-end epochs: list the folder, load (decode + resize), augment and train, timed from before the loader is
/// built, so epoch 1 includes filling the cache. Validation is off on both sides.
/// </summary>
internal static class EpochsCase
{
    public static JsonObject Run(CaseArgs a)
    {
        var threads = a.Int("threads");
        set_num_threads(threads);
        var size = a.Int("size");
        var channels = a.Int("channels");
        var cache = a.Text("cache") switch
        {
            "memory" => CacheMode.Memory, // not MemoryAndDisk: a disk cache from an earlier run would skip epoch 1's decoding
            "none" => CacheMode.None,
            var other => throw new ArgumentException($"Unknown cache '{other}': memory or none."),
        };

        var clock = Stopwatch.StartNew();
        var loader = FolderLoader(Path.Combine(a.Text("dir"), "train"), size, channels, new DataLoaderOptions
        {
            BatchSize = a.Int("batch"), Shuffle = true, Cache = cache, Workers = threads,
            // Seed 002's ImageDataGenerator(zoom_range=0.2, vertical_flip=True); the Python side mirrors it.
            Transform = new KerasAugmentation { ZoomRange = 0.2, VerticalFlip = true },
        });
        var model = ModelFactory.Create(ModelFactory.BlogCnnArch, channels, size, size, loader.ClassNames.Count, seed: 0);
        var ends = new EpochEnds(clock);
        // fp32 unless asked: the like-for-like rows compare fp32 with fp32, whatever auto would pick on this CPU.
        var precision = a.Precision();
        Trainer.Fit(model, loader, null, new TrainingOptions { Epochs = a.Int("epochs"), Precision = precision }, new[] { ends });
        var seconds = ends.Seconds.Select((t, i) => i == 0 ? t : t - ends.Seconds[i - 1]);
        return new JsonObject
        {
            ["threads"] = threads, ["workers"] = threads, ["images"] = loader.SampleCount, ["cache"] = cache.ToString(),
            ["precision"] = precision.ToString().ToLowerInvariant(),
            ["epoch_seconds"] = new JsonArray(seconds.Select(s => (JsonNode)s).ToArray()),
        };
    }

    /// <summary>
    /// One split folder (CLASS/*.jpg) through our loader as the reference's torchvision ImageFolder reads it: decoded
    /// gray (1 channel) or RGB (3), resized to size², scaled to [0, 1]. The accuracy case reads its train/ and val/ so too.
    /// </summary>
    internal static DataLoader FolderLoader(string folder, int size, int channels, DataLoaderOptions options) =>
        DataLoader.FromImageFolder(new ImageFolder(folder), new Preprocessing(size, size, (ColorMode)channels), options);

    private sealed class EpochEnds(Stopwatch clock) : Callback
    {
        public List<double> Seconds { get; } = new();

        public override void OnEpochEnd(TrainingContext context, int epoch, EpochRecord logs) => Seconds.Add(clock.Elapsed.TotalSeconds);
    }
}
