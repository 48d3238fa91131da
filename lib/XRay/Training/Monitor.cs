namespace XRay.Training;

/// <summary>
/// Keras' monitored-metric rule shared by EarlyStopping, ReduceLROnPlateau and ModelCheckpoint: in min mode a value
/// improves on a reference only if it is below reference - min_delta; in max mode only if above reference + min_delta.
/// Auto mode is max for accuracy, AUC, precision, recall and F1 (higher is better), min otherwise (losses). Keras'
/// name rule ("acc" or "auc" in the name) would minimise recall; its metric objects know better, and so does this.
/// Any logged name can be monitored; one that no epoch logs is an error listing the names that are.
/// </summary>
internal sealed class Monitor
{
    private static readonly string[] HigherIsBetterNames = { "acc", "auc", "precision", "recall", "f1" };
    private readonly string owner;
    private bool seen;

    /// <param name="owner">The callback's name, for the error when the metric is never logged.</param>
    public Monitor(string metric, MonitorMode mode, double minDelta, string owner)
    {
        ArgumentException.ThrowIfNullOrEmpty(metric);
        Metric = metric;
        this.owner = owner;
        HigherIsBetter = mode switch
        {
            MonitorMode.Max => true,
            MonitorMode.Min => false,
            MonitorMode.Auto => HigherIsBetterNames.Any(m => metric.Contains(m, StringComparison.Ordinal)),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown monitor mode."),
        };
        MinDelta = Math.Abs(minDelta);
    }

    public string Metric { get; }

    public bool HigherIsBetter { get; }

    public double MinDelta { get; }

    /// <summary>
    /// What tells this monitor's state apart in a checkpoint, e.g. "val_loss,min": the metric and the resolved mode
    /// (Lightning's state_key holds both), so a callback that minimises never resumes from one that maximised.
    /// </summary>
    public string StateKey => $"{Metric},{(HigherIsBetter ? "max" : "min")}";

    /// <summary>The worst possible value, the starting "best".</summary>
    public double Worst => HigherIsBetter ? double.NegativeInfinity : double.PositiveInfinity;

    public bool IsImprovement(double current, double reference) =>
        HigherIsBetter ? current - MinDelta > reference : current + MinDelta < reference;

    /// <summary>
    /// The monitored value in these logs, or null when absent for a reason (val_ metrics without validation data, as
    /// Keras skips them). A name never logged is a mistake (a typo, a metric nobody computes): it throws, listing the
    /// logged names.
    /// </summary>
    public double? Read(EpochRecord logs)
    {
        if (logs.Get(Metric) is { } value)
        {
            seen = true;
            return value;
        }
        var noValidation = EpochRecord.Canonical(Metric).StartsWith("val_", StringComparison.Ordinal)
                           && !logs.Logs.Keys.Any(k => k.StartsWith("val_", StringComparison.Ordinal));
        if (seen || noValidation) return null;
        throw new ArgumentException(
            $"{owner} monitors '{Metric}', which this epoch did not log; the logged names are: {string.Join(", ", logs.Logs.Keys)}.");
    }
}
