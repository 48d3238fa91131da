namespace XRay.Training;

/// <summary>
/// Keras' monitored-metric rule shared by EarlyStopping, ReduceLROnPlateau and ModelCheckpoint: in min mode a value
/// improves on a reference only if it is below reference - min_delta; in max mode only if above reference + min_delta.
/// Auto mode is max for accuracy, AUC, precision, recall and F1 (higher is better), min otherwise (losses). Keras'
/// name rule ("acc" or "auc" in the name) would minimise recall; its metric objects know better, and so does this.
/// </summary>
internal sealed class Monitor
{
    public Monitor(string metric, MonitorMode mode, double minDelta)
    {
        ArgumentException.ThrowIfNullOrEmpty(metric);
        if (!EpochRecord.IsKnown(metric))
            throw new ArgumentException($"Unknown metric '{metric}' to monitor; use one of: {string.Join(", ", EpochRecord.MetricNames)}.", nameof(metric));
        Metric = metric;
        HigherIsBetter = mode switch
        {
            MonitorMode.Max => true,
            MonitorMode.Min => false,
            _ => new[] { "acc", "auc", "precision", "recall", "f1" }.Any(m => metric.Contains(m, StringComparison.Ordinal)),
        };
        MinDelta = Math.Abs(minDelta);
    }

    public string Metric { get; }

    public bool HigherIsBetter { get; }

    public double MinDelta { get; }

    /// <summary>The worst possible value, the starting "best".</summary>
    public double Worst => HigherIsBetter ? double.NegativeInfinity : double.PositiveInfinity;

    public bool IsImprovement(double current, double reference) =>
        HigherIsBetter ? current - MinDelta > reference : current + MinDelta < reference;

    /// <summary>The monitored value in these logs, or null when absent (e.g. val_loss without validation data).</summary>
    public double? Read(EpochRecord logs) => logs.Get(Metric);
}
