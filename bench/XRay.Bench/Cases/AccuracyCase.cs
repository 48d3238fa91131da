using System.Diagnostics;
using System.Text.Json.Nodes;
using XRay.Data;
using XRay.Models;
using XRay.Runtime;
using XRay.Training;
using static TorchSharp.torch;

namespace XRay.Bench.Cases;

/// <summary>
/// The accuracy a short run reaches in one precision (<c>--precision fp32|bf16</c>), beside the reference's
/// torch.autocast: seed 002's CNN trained with Adam on the generated folder's train/ and validated after every epoch on
/// its val/, both fixed by the folder (not drawn by either side's RNG). No augmentation, so the run is short and the
/// precision is what differs between this side's two runs: the same seed gives the same initial weights and batch
/// order. Timed from before the loaders are built, as the epochs case is, so epoch 1 includes filling the cache.
/// </summary>
internal static class AccuracyCase
{
    public static JsonObject Run(CaseArgs a)
    {
        var threads = a.Int("threads");
        set_num_threads(threads);
        int size = a.Int("size"), channels = a.Int("channels"), batch = a.Int("batch"), epochs = a.Int("epochs");
        var seed = a.Int("seed");
        var learningRate = double.Parse(a.Text("lr"), System.Globalization.CultureInfo.InvariantCulture);
        var precision = a.Precision();
        if (precision is not (TrainingPrecision.Fp32 or TrainingPrecision.Bf16))
            throw new ArgumentException($"--precision {a.Text("precision")}: the accuracy case compares fp32 and bf16 (the CPU's autocast types).");

        var clock = Stopwatch.StartNew();
        // Memory, not MemoryAndDisk: a disk cache from an earlier run would skip epoch 1's decoding.
        var options = new DataLoaderOptions { BatchSize = batch, Cache = CacheMode.Memory, Workers = threads, Seed = seed };
        var train = EpochsCase.FolderLoader(Path.Combine(a.Text("dir"), "train"), size, channels, options with { Shuffle = true });
        var val = EpochsCase.FolderLoader(Path.Combine(a.Text("dir"), "val"), size, channels, options with { Shuffle = false });
        var model = ModelFactory.Create(ModelFactory.BlogCnnArch, channels, size, size, train.ClassNames.Count, seed);
        var history = Trainer.Fit(model, train, val, new TrainingOptions
        {
            Epochs = epochs, BatchSize = batch, Optimizer = OptimizerKind.Adam, LearningRate = learningRate, Seed = seed,
            Device = CPU, Precision = precision,
        });
        var seconds = clock.Elapsed.TotalSeconds;
        var last = history.Epochs[^1];
        return new JsonObject
        {
            ["precision"] = precision.ToString().ToLowerInvariant(), ["cpu_bf16_flags"] = CpuFlags.Current.Bf16Summary,
            ["threads"] = threads, ["size"] = size, ["channels"] = channels, ["batch"] = batch, ["lr"] = learningRate, ["seed"] = seed,
            ["train_images"] = train.SampleCount, ["val_images"] = val.SampleCount,
            ["val_accuracy"] = last.ValAccuracy, ["val_loss"] = last.ValLoss, ["train_seconds"] = seconds,
            ["epochs"] = new JsonArray(history.Epochs.Select(e => (JsonNode)new JsonObject
            {
                ["epoch"] = e.Epoch, ["seconds"] = e.Seconds, ["loss"] = e.Loss, ["accuracy"] = e.Accuracy,
                ["val_loss"] = e.ValLoss, ["val_accuracy"] = e.ValAccuracy,
            }).ToArray()),
        };
    }
}
