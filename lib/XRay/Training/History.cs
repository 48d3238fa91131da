using System.Text.Json;

namespace XRay.Training;

/// <summary>What Fit returns (Keras' History): one <see cref="EpochRecord"/> per completed epoch.</summary>
public sealed class History
{
    private readonly List<EpochRecord> epochs = new();

    public History() { }

    public History(IEnumerable<EpochRecord> records) => epochs.AddRange(records);

    public IReadOnlyList<EpochRecord> Epochs => epochs;

    public EpochRecord? Last => epochs.Count == 0 ? null : epochs[^1];

    internal void Add(EpochRecord record) => epochs.Add(record);

    /// <summary>One metric per epoch, e.g. history["val_loss"], like Keras' history.history[...] (null where an epoch did not log it).</summary>
    public IReadOnlyList<double?> this[string metric] => epochs.Select(e => e.Get(metric)).ToList();

    /// <summary>Every name some epoch logged, in the order they first appear.</summary>
    public IReadOnlyList<string> MetricNames => epochs.SelectMany(e => e.Logs.Keys).Distinct().ToList();

    /// <summary>
    /// Keras' history.history layout: {"epoch": [...], "loss": [...], "accuracy": [...], "precision": [...], ...,
    /// "val_loss": [...], ..., "lr": [...], (any other logged name), "seconds": [...]}; null where an epoch did not log a name.
    /// </summary>
    public string ToJson()
    {
        var doc = new Dictionary<string, object?[]> { ["epoch"] = epochs.Select(e => (object?)e.Epoch).ToArray() };
        foreach (var metric in MetricNames) doc[metric] = epochs.Select(e => (object?)e.Get(metric)).ToArray();
        doc["seconds"] = epochs.Select(e => (object?)e.Seconds).ToArray();
        return JsonSerializer.Serialize(doc, JsonDefaults.Indented);
    }

    /// <summary>Reads <see cref="ToJson"/>'s layout back (a history.json), every logged name included.</summary>
    public static History FromJson(string json)
    {
        var doc = JsonSerializer.Deserialize<Dictionary<string, double?[]>>(json, JsonDefaults.Options)
                  ?? throw new InvalidDataException("The history JSON is empty.");
        if (!doc.TryGetValue("epoch", out var numbers)) throw new InvalidDataException("The history JSON has no \"epoch\" list.");
        var seconds = doc.GetValueOrDefault("seconds");
        var names = doc.Keys.Where(k => k is not ("epoch" or "seconds")).ToList();
        if (doc.FirstOrDefault(kv => kv.Value.Length != numbers.Length) is { Key: { } uneven })
            throw new InvalidDataException($"The history JSON's \"{uneven}\" has another length than \"epoch\" ({numbers.Length}).");
        return new History(numbers.Select((epoch, i) => new EpochRecord(
            (int)(epoch ?? i + 1),
            names.Where(n => doc[n][i].HasValue).Select(n => KeyValuePair.Create(n, doc[n][i]!.Value)),
            seconds?[i] ?? 0)));
    }
}
