using System.Diagnostics;
using System.Text.Json.Nodes;
using XRay.Data;
using XRay.Runtime;
using XRay.Models;
using XRay.Synthetic;
using XRay.Training;
using static TorchSharp.torch;

namespace XRay.Bench.Cases;

/// <summary>
/// A whole training run as <c>xray train</c> makes it, on <c>--device</c>: seed 002's CNN (or <c>--arch</c>; a transfer
/// model with <c>--freeze true</c> trains its head only, as seed 001 does) through
/// <see cref="Trainer.Fit"/> with validation after each epoch, checkpoint.pt written every epoch and the run log. Then
/// the checkpoint is read back and evaluated on the CPU (a model trained on a GPU must predict the same there), and
/// training resumes from it on the device for one more epoch (the optimizer state goes back onto the device).
/// <para>
/// The images are the synthetic set's, rendered straight into memory at the model's size (no JPEG round trip, so no
/// OpenCV): a GPU machine needs only the .NET runtime, our assemblies and a libtorch (bench/README.md, "GPU check").
/// </para>
/// </summary>
internal static class FitCase
{
    private static readonly string[] Classes = { "NORMAL", "PNEUMONIA" };

    public static JsonObject Run(CaseArgs a)
    {
        var device = ModelCases.CaseDevice(a);
        set_num_threads(a.Int("threads"));
        int size = a.Int("size"), channels = a.Int("channels"), batch = a.Int("batch"), epochs = a.Int("epochs");
        var arch = a.Text("arch", ModelFactory.BlogCnnArch);
        var freeze = bool.Parse(a.Text("freeze", "false"));
        var output = a.Text("out");
        if (Directory.Exists(output)) Directory.Delete(output, recursive: true); // Fit would otherwise append to an old run log

        var render = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        var (trainX, trainY) = Render(1, a.Int("per-class"), size, channels);
        var (valX, valY) = Render(3, a.Int("val-per-class"), size, channels);
        var renderSeconds = render.Elapsed.TotalSeconds;
        using var train = new TensorBatchSource(trainX, trainY, Classes, batch, shuffle: true, seed: 0);
        using var val = new TensorBatchSource(valX, valY, Classes, batch, shuffle: false);

        var model = Create(arch, channels, size, freeze, seed: 0);
        var options = new TrainingOptions { Epochs = epochs, Device = device, OutputDirectory = output, Seed = 42 };
        var fit = Stopwatch.StartNew();
        var history = Trainer.Fit(model, train, val, options);
        var fitSeconds = fit.Elapsed.TotalSeconds;
        var onDevice = Trainer.Evaluate(model, val, device);

        // The checkpoint, read back on the CPU: same loss and accuracy as the trained model on the device.
        var checkpointPath = Path.Combine(output, "checkpoint.pt");
        (double Loss, double Accuracy) onCpu;
        using (var checkpoint = Checkpoint.Load(checkpointPath))
        using (var cpuModel = checkpoint.CreateModel(CPU))
            onCpu = Trainer.Evaluate(cpuModel, val, CPU);

        // One more epoch on the device, resumed from the checkpoint: the optimizer state goes back onto the device.
        var resumedModel = Create(arch, channels, size, freeze, seed: 1);
        var resumed = Trainer.Fit(resumedModel, train, val, options with { Epochs = epochs + 1, ResumeFrom = checkpointPath });

        return new JsonObject
        {
            ["device"] = device.ToString(),
            ["arch"] = arch, ["frozen_features"] = freeze,
            ["trainable_parameters"] = model.parameters().Where(p => p.requires_grad).Sum(p => p.numel()),
            ["cuda_devices"] = device.type == TorchSharp.DeviceType.CUDA ? cuda.device_count() : 0,
            ["threads"] = get_num_threads(),
            ["size"] = size, ["channels"] = channels, ["batch"] = batch,
            ["train_images"] = train.SampleCount, ["val_images"] = val.SampleCount,
            ["render_seconds"] = renderSeconds,
            ["fit_seconds"] = fitSeconds,
            ["epochs"] = new JsonArray(history.Epochs.Select(e => (JsonNode)Epoch(e, train.SampleCount)).ToArray()),
            ["val_on_device"] = Evaluation(onDevice),
            ["val_on_cpu_from_checkpoint"] = Evaluation(onCpu),
            ["val_loss_difference_device_vs_cpu"] = Math.Abs(onDevice.Loss - onCpu.Loss),
            ["resumed_epoch"] = Epoch(resumed.Epochs[^1], train.SampleCount),
            ["checkpoint_bytes"] = new FileInfo(checkpointPath).Length,
        };
    }

    private static ClassifierModel Create(string arch, int channels, int size, bool freeze, long seed)
    {
        var model = ModelFactory.Create(arch, channels, size, size, Classes.Length, seed);
        if (freeze)
        {
            if (model is not TransferModel transfer) throw new ArgumentException($"--freeze true needs a transfer model, not '{arch}'.");
            transfer.FreezeFeatures();
        }
        return model;
    }

    /// <summary>
    /// (N, C, size, size) float images in [0, 1] (the blogs' rescale=1/255) and int64 labels, half of each class. Gray
    /// images are repeated over 3 channels when the model takes RGB, as the loader's Rgb mode does for gray files.
    /// </summary>
    private static (Tensor Images, Tensor Labels) Render(long split, int perClass, int size, int channels)
    {
        var count = perClass * Classes.Length;
        var pixels = new byte[(long)count * size * size];
        Parallel.For(0, count, i =>
        {
            var image = SyntheticChestXray.Render(Classes[i % Classes.Length], size, Seed.Random(7, split, i % Classes.Length, i / Classes.Length));
            image.Data.CopyTo(pixels, (long)i * size * size);
        });
        var gray = tensor(pixels, new long[] { count, 1, size, size }).to(ScalarType.Float32).div_(255);
        var labels = tensor(Enumerable.Range(0, count).Select(i => (long)(i % Classes.Length)).ToArray());
        return (channels == 1 ? gray : gray.expand(count, channels, size, size).contiguous(), labels);
    }

    private static JsonObject Epoch(EpochRecord e, int images) => new()
    {
        ["epoch"] = e.Epoch, ["seconds"] = e.Seconds, ["images_per_s"] = images / e.Seconds,
        ["loss"] = e.Loss, ["accuracy"] = e.Accuracy, ["val_loss"] = e.ValLoss, ["val_accuracy"] = e.ValAccuracy,
    };

    private static JsonObject Evaluation((double Loss, double Accuracy) r) => new() { ["loss"] = r.Loss, ["accuracy"] = r.Accuracy };
}
