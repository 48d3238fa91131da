using System.Diagnostics;
using System.Text.Json.Nodes;

namespace XRay.Bench;

/// <summary>The one timing rule of every throughput case, ours and theirs: images/s per timed interval after a warm-up, and the median.</summary>
internal static class Timing
{
    /// <summary>Seconds since the clock started, one per finished step (a training batch or an inference forward).</summary>
    /// <param name="device">
    /// Where the steps run. On a GPU libtorch queues kernels and returns at once, so each tick first waits for the
    /// device to finish what the step queued (as torch.cuda.synchronize() in the Python side does); on the CPU it doesn't.
    /// </param>
    public sealed class StepClock(TorchSharp.torch.Device? device = null)
    {
        private readonly Stopwatch clock = Stopwatch.StartNew();

        public List<double> Ends { get; } = new();

        /// <summary>The process's minor page faults at each step's end: fresh memory being mapped in.</summary>
        public List<long> Faults { get; } = new();

        public void Tick()
        {
            if (device is { type: TorchSharp.DeviceType.CUDA }) TorchSharp.torch.cuda.synchronize(device);
            Ends.Add(clock.Elapsed.TotalSeconds);
            Faults.Add(ProcessTreeMemory.MinorPageFaults());
        }

        /// <summary>Minor page faults per step after the warm-up (0 when memory is reused from step to step).</summary>
        public double FaultsPerStep(int warmup) =>
            Faults.Count > warmup ? (double)(Faults[^1] - Faults[warmup - 1]) / (Faults.Count - warmup) : 0;
    }

    /// <summary>
    /// Images/s of each interval of <paramref name="steps"/> consecutive steps after the first <paramref name="warmup"/>.
    /// An interval runs from the end of the step before it, so no step is left untimed between intervals.
    /// </summary>
    public static List<double> IntervalRates(IReadOnlyList<double> stepEnds, int warmup, int steps, int batch)
    {
        if (warmup < 1) throw new ArgumentOutOfRangeException(nameof(warmup), "At least one warm-up step gives the first interval its start.");
        var rates = new List<double>();
        for (var start = warmup - 1; start + steps < stepEnds.Count; start += steps)
            rates.Add(steps * batch / (stepEnds[start + steps] - stepEnds[start]));
        return rates;
    }

    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return 0;
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>{"images_per_s": median, "intervals": [...]}, the shape the Python side writes too.</summary>
    public static JsonObject Rates(IReadOnlyList<double> rates) => new()
    {
        ["images_per_s"] = Median(rates),
        ["intervals"] = new JsonArray(rates.Select(r => (JsonNode)r).ToArray()),
    };
}
