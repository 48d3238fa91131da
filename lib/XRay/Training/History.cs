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

    /// <summary>Keras' history.history layout: {"loss": [...], "accuracy": [...], "val_loss": [...], ..., "lr": [...]}.</summary>
    public string ToJson()
    {
        var doc = new Dictionary<string, object?[]>
        {
            ["epoch"] = epochs.Select(e => (object?)e.Epoch).ToArray(),
            ["loss"] = epochs.Select(e => (object?)e.Loss).ToArray(),
            ["accuracy"] = epochs.Select(e => (object?)e.Accuracy).ToArray(),
            ["val_loss"] = epochs.Select(e => (object?)e.ValLoss).ToArray(),
            ["val_accuracy"] = epochs.Select(e => (object?)e.ValAccuracy).ToArray(),
            ["lr"] = epochs.Select(e => (object?)e.LearningRate).ToArray(),
            ["seconds"] = epochs.Select(e => (object?)e.Seconds).ToArray(),
        };
        return JsonSerializer.Serialize(doc, JsonDefaults.Indented);
    }
}
