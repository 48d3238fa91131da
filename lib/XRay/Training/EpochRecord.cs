using System.Text.Json.Serialization;

namespace XRay.Training;

/// <summary>
/// One epoch's results: its 1-based number, its duration, and the logs, Keras' <c>logs</c> dictionary (Lightning's
/// logged metrics): every value the epoch logged, by name, in the order it was logged. Fit logs the mean training loss
/// and accuracy (Keras' running means over the epoch's samples), the macro-averaged precision, recall and F1 of the
/// epoch's predictions (scikit-learn's average='macro'), their val_ twins when there is validation data, and lr. A new
/// metric is one more entry (see <see cref="EpochMetric"/>); callbacks, history.json, the checkpoint and the run log
/// carry whatever is logged.
/// </summary>
[JsonConverter(typeof(EpochRecordJsonConverter))]
public sealed record EpochRecord
{
    private readonly IReadOnlyDictionary<string, double> logs;

    /// <param name="epoch">1-based: the number of epochs completed when this was recorded.</param>
    /// <param name="logs">The epoch's named values, in the order they are shown.</param>
    /// <param name="seconds">The epoch's duration.</param>
    public EpochRecord(int epoch, IEnumerable<KeyValuePair<string, double>> logs, double seconds)
    {
        Epoch = epoch;
        Seconds = seconds;
        this.logs = new OrderedLogs(logs);
    }

    /// <summary>The standard logs by their typed names (a null validation value is not logged).</summary>
    public EpochRecord(int epoch, double loss, double accuracy, double? valLoss, double? valAccuracy, double learningRate, double seconds)
        : this(epoch, Standard(loss, accuracy, valLoss, valAccuracy, learningRate), seconds)
    {
    }

    /// <summary>1-based: the number of epochs completed when this was recorded.</summary>
    public int Epoch { get; init; }

    public double Seconds { get; init; }

    /// <summary>Every logged value by name, in the order it was logged (Keras' logs).</summary>
    public IReadOnlyDictionary<string, double> Logs
    {
        get => logs;
        init => logs = new OrderedLogs(value);
    }

    /// <summary>The names Fit logs, in the order logs and tables show them; other logged names follow them.</summary>
    public static IReadOnlyList<string> MetricNames { get; } = new[]
    {
        "loss", "accuracy", "precision", "recall", "f1", "val_loss", "val_accuracy", "val_precision", "val_recall", "val_f1", "lr",
    };

    // Keras' older and longer spellings of the standard names.
    private static readonly Dictionary<string, string> Aliases = new()
    {
        ["acc"] = "accuracy", ["val_acc"] = "val_accuracy", ["f1_score"] = "f1", ["val_f1_score"] = "val_f1", ["learning_rate"] = "lr",
    };

    /// <summary>The name <paramref name="metric"/> is logged under (an alias such as acc or learning_rate resolved).</summary>
    public static string Canonical(string metric) => Aliases.TryGetValue(metric, out var name) ? name : metric;

    /// <summary>A logged value by name (Keras' aliases acc, val_acc, f1_score, learning_rate accepted), or null.</summary>
    public double? Get(string metric) => logs.TryGetValue(Canonical(metric), out var value) ? value : null;

    // Read-only conveniences over the logs, for the standard names (NaN / null when not logged).
    public double Loss => Get("loss") ?? double.NaN;
    public double Accuracy => Get("accuracy") ?? double.NaN;
    public double? ValLoss => Get("val_loss");
    public double? ValAccuracy => Get("val_accuracy");
    public double LearningRate => Get("lr") ?? double.NaN;
    public double? Precision => Get("precision");
    public double? Recall => Get("recall");
    public double? F1 => Get("f1");
    public double? ValPrecision => Get("val_precision");
    public double? ValRecall => Get("val_recall");
    public double? ValF1 => Get("val_f1");

    /// <summary>This record with <paramref name="more"/> logged after its logs (a name already logged is replaced in place).</summary>
    public EpochRecord With(IEnumerable<KeyValuePair<string, double>> more) => new(Epoch, logs.Concat(more), Seconds);

    /// <summary>Same epoch, duration and logs (as a dictionary: the order they are shown in is not part of the value).</summary>
    public bool Equals(EpochRecord? other) =>
        other is not null && Epoch == other.Epoch && Seconds.Equals(other.Seconds) && logs.Count == other.logs.Count
        && logs.All(l => other.logs.TryGetValue(l.Key, out var v) && v.Equals(l.Value));

    public override int GetHashCode() => HashCode.Combine(Epoch, Seconds, logs.Count);

    private static IEnumerable<KeyValuePair<string, double>> Standard(double loss, double accuracy, double? valLoss, double? valAccuracy,
        double learningRate)
    {
        yield return new("loss", loss);
        yield return new("accuracy", accuracy);
        if (valLoss is { } vl) yield return new("val_loss", vl);
        if (valAccuracy is { } va) yield return new("val_accuracy", va);
        yield return new("lr", learningRate);
    }

    /// <summary>A read-only dictionary that keeps insertion order (a later duplicate replaces the value in place).</summary>
    private sealed class OrderedLogs : IReadOnlyDictionary<string, double>
    {
        private readonly List<KeyValuePair<string, double>> entries = new();
        private readonly Dictionary<string, int> index = new(StringComparer.Ordinal);

        public OrderedLogs(IEnumerable<KeyValuePair<string, double>> source)
        {
            foreach (var (name, value) in source)
            {
                ArgumentException.ThrowIfNullOrEmpty(name);
                if (index.TryGetValue(name, out var i)) entries[i] = new(name, value);
                else
                {
                    index[name] = entries.Count;
                    entries.Add(new(name, value));
                }
            }
        }

        public double this[string key] => entries[index[key]].Value;
        public IEnumerable<string> Keys => entries.Select(e => e.Key);
        public IEnumerable<double> Values => entries.Select(e => e.Value);
        public int Count => entries.Count;
        public bool ContainsKey(string key) => index.ContainsKey(key);

        public bool TryGetValue(string key, out double value)
        {
            var found = index.TryGetValue(key, out var i);
            value = found ? entries[i].Value : default;
            return found;
        }

        public IEnumerator<KeyValuePair<string, double>> GetEnumerator() => entries.GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
