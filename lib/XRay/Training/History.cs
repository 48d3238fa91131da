using System.Text.Json;

namespace XRay.Training;

/// <summary>What Fit returns (Keras' History): one <see cref="EpochRecord"/> per completed epoch.</summary>
[XRay.Display.TypeFormatterSource(typeof(XRay.Display.HistoryFormatterSource))]
public sealed class History
{
    private readonly List<EpochRecord> epochs = new();

    public History() { }

    public History(IEnumerable<EpochRecord> records) => epochs.AddRange(records);

    public IReadOnlyList<EpochRecord> Epochs => epochs;

    public EpochRecord? Last => epochs.Count == 0 ? null : epochs[^1];

    internal void Add(EpochRecord record) => epochs.Add(record);

    /// <summary>One metric per epoch, e.g. history["val_loss"], like Keras' history.history[...].</summary>
    public IReadOnlyList<double?> this[string metric] => epochs.Select(e => e.Get(metric)).ToList();

    /// <summary>
    /// Keras' history.history layout: {"epoch": [...], "loss": [...], "accuracy": [...], "precision": [...], ...,
    /// "val_loss": [...], ..., "lr": [...], "seconds": [...]}.
    /// </summary>
    public string ToJson()
    {
        var doc = new Dictionary<string, object?[]> { ["epoch"] = epochs.Select(e => (object?)e.Epoch).ToArray() };
        foreach (var metric in EpochRecord.MetricNames) doc[metric] = epochs.Select(e => (object?)e.Get(metric)).ToArray();
        doc["seconds"] = epochs.Select(e => (object?)e.Seconds).ToArray();
        return JsonSerializer.Serialize(doc, JsonDefaults.Indented);
    }
}
