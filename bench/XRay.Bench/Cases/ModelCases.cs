using System.Text.Json.Nodes;
using XRay.Data;
using XRay.Models;
using TorchSharp;
using XRay.Runtime;
using XRay.Training;
using static TorchSharp.torch;

namespace XRay.Bench.Cases;

/// <summary>
/// Training and inference throughput of seed 002's CNN (or <c>--arch</c>, any of ModelFactory's, ours only) on one fixed
/// random batch, so only the step is measured.
/// Training goes through <see cref="Trainer.Fit"/> itself (the path users take), timed by a callback at each batch end.
/// <c>--device</c> (cpu by default, or cuda[:N]) says where the model and the batch live.
/// </summary>
internal static class ModelCases
{
    private static readonly string[] TwoClasses = { "NORMAL", "PNEUMONIA" };

    /// <summary>"default" is what Trainer picks on its own (channels-last on the CPU); the others force a layout.</summary>
    private static bool? ChannelsLast(string format) => format switch
    {
        "default" => null,
        "nchw" => false,
        "channels_last" => true,
        _ => throw new ArgumentException($"Unknown format '{format}': default, nchw or channels_last."),
    };

    public static JsonObject Train(CaseArgs a) => EachFormat(a, (format, model, x, clock, steps) =>
    {
        var y = randint(0, 2, new long[] { x.shape[0] }, device: x.device);
        var source = new RepeatedBatch(x, y, steps, TwoClasses);
        var precision = a.Precision();
        Trainer.Fit(model, source, null,
            new TrainingOptions { Epochs = 1, ChannelsLast = ChannelsLast(format), Device = x.device, Precision = precision },
            new[] { new BatchEndClock(clock) });
    });

    public static JsonObject Infer(CaseArgs a) => EachFormat(a, (format, model, x, clock, steps) =>
    {
        // The layout Trainer.Evaluate and predict use when none is asked for.
        var channelsLast = ChannelsLast(format) ?? XRay.Runtime.ChannelsLast.DefaultFor(x.device);
        model.to(x.device);
        if (channelsLast) model.ToChannelsLast();
        model.eval();
        using var _ = inference_mode();
        for (var i = 0; i < steps; i++)
            using (NewDisposeScope())
            {
                var input = channelsLast ? x.ToChannelsLast() : x;
                model.call(input).sigmoid();
                clock.Tick();
            }
    });

    /// <summary>Runs <paramref name="measure"/> once per format in --formats, each on a fresh model and random batch.</summary>
    private static JsonObject EachFormat(CaseArgs a, Action<string, ClassifierModel, Tensor, Timing.StepClock, int> measure)
    {
        var (channels, size, batch, warmup, intervals, steps) = Shape(a);
        var device = CaseDevice(a);
        var result = Header(channels, size, batch);
        result["device"] = device.ToString();
        result["arch"] = a.Text("arch", ModelFactory.BlogCnnArch);
        foreach (var format in a.Text("formats").Split(','))
        {
            using var scope = NewDisposeScope();
            var model = ModelFactory.Create(a.Text("arch", ModelFactory.BlogCnnArch), channels, size, size, 2, seed: 0);
            var x = rand(batch, channels, size, size, device: device);
            var clock = new Timing.StepClock(device);
            measure(format, model, x, clock, warmup + intervals * steps);
            var rates = Timing.Rates(Timing.IntervalRates(clock.Ends, warmup, steps, batch));
            rates["page_faults_per_step"] = clock.FaultsPerStep(warmup);
            result[format] = rates;
        }
        return result;
    }

    private static (int channels, int size, int batch, int warmup, int intervals, int steps) Shape(CaseArgs a)
    {
        set_num_threads(a.Int("threads"));
        return (a.Int("channels"), a.Int("size"), a.Int("batch"), a.Int("warmup"), a.Int("intervals"), a.Int("steps"));
    }

    /// <summary>--device cpu (the default), cuda or cuda:N; a GPU that libtorch can't see is an error, not a silent CPU run.</summary>
    internal static Device CaseDevice(CaseArgs a)
    {
        var device = new Device(a.Text("device", "cpu"));
        if (device.type == DeviceType.CUDA && !cuda.is_available())
            throw new InvalidOperationException($"--device {device}: libtorch sees no CUDA device here.");
        return device;
    }

    private static JsonObject Header(int channels, int size, int batch) => new()
    {
        ["threads"] = get_num_threads(), ["channels"] = channels, ["size"] = size, ["batch"] = batch,
    };

    /// <summary>The same batch <paramref name="count"/> times; each yield is an alias, since Fit disposes every batch.</summary>
    private sealed class RepeatedBatch(Tensor images, Tensor labels, int count, IReadOnlyList<string> classNames) : IBatchSource
    {
        public IReadOnlyList<string> ClassNames => classNames;

        public int SampleCount => count * (int)images.shape[0];

        public int BatchCount => count;

        public Preprocessing Preprocessing => new((int)images.shape[2], (int)images.shape[3],
            images.shape[1] == 1 ? ColorMode.Grayscale : ColorMode.Rgb);

        public IEnumerable<Batch> GetBatches(int epoch)
        {
            for (var i = 0; i < count; i++)
                yield return new Batch(images.alias().DetachFromDisposeScope(), labels.alias().DetachFromDisposeScope());
        }
    }

    private sealed class BatchEndClock(Timing.StepClock clock) : Callback
    {
        public override void OnBatchEnd(TrainingContext context, int batch, BatchLogs logs) => clock.Tick();
    }
}
