using XRay.Data;
using XRay.IO;
using XRay.Models;
using static TorchSharp.torch;

namespace XRay.Metrics;

/// <summary>A model's outputs over a dataset: per sample its file, true label, predicted label and class probabilities.</summary>
public sealed record Predictions(IReadOnlyList<string> ClassNames, string[] Paths, int[] Labels, int[] Predicted, float[][] Probabilities)
{
    public int Count => Labels.Length;

    /// <summary>
    /// Runs <paramref name="model"/> over every batch of <paramref name="data"/> in eval and inference mode. Probabilities
    /// are softmax, or [1 - p, p] for a sigmoid unit, of the logits divided by <paramref name="temperature"/> (1: as trained).
    /// Each batch comes back to the host once.
    /// </summary>
    public static Predictions Predict(nn.Module<Tensor, Tensor> model, IBatchSource data, Device? device = null, bool? channelsLast = null,
        double temperature = 1)
    {
        var (paths, labels, predicted, probabilities) = (new List<string>(), new List<int>(), new List<int>(), new List<float[]>());
        Inference.ForEachBatch(model, data, device, channelsLast, (batch, y, logits) =>
        {
            var rows = Inference.Rows(logits, temperature);
            var truth = y.cpu().data<long>().ToArray();
            for (var i = 0; i < batch.Count; i++)
            {
                probabilities.Add(rows[i]);
                predicted.Add(Inference.ArgMax(rows[i]));
                labels.Add(checked((int)truth[i]));
                paths.Add(batch.Paths[i]);
            }
        });
        return new Predictions(data.ClassNames, paths.ToArray(), labels.ToArray(), predicted.ToArray(), probabilities.ToArray());
    }

    /// <summary>For each class in label order, the first sample of that class the model got right; classes it never got right are left out.</summary>
    public IReadOnlyList<int> FirstCorrectPerClass() =>
        Enumerable.Range(0, ClassNames.Count)
            .Select(c => Enumerable.Range(0, Count).FirstOrDefault(i => Labels[i] == c && Predicted[i] == c, -1))
            .Where(i => i >= 0)
            .ToList();

    /// <summary>The samples the model got wrong, most confident mistakes first.</summary>
    public IReadOnlyList<Misclassification> Misclassified() =>
        Enumerable.Range(0, Count)
            .Where(i => Labels[i] != Predicted[i])
            .Select(i => new Misclassification(Paths[i], ClassNames[Labels[i]], ClassNames[Predicted[i]], Probabilities[i][Predicted[i]]))
            .OrderByDescending(m => m.Confidence)
            .ToList();

    /// <summary>predictions.csv: path, true, pred and one probability per class (named p_&lt;class&gt;), numbers in the invariant culture whatever the machine's.</summary>
    public void WriteCsv(string path) => Csv.Write(path,
        new[] { "path", "true", "pred" }.Concat(ClassNames.Select(c => ProbabilityPrefix + c)).ToList(),
        Enumerable.Range(0, Count).Select(i => (IReadOnlyList<object>)new object[] { Paths[i], ClassNames[Labels[i]], ClassNames[Predicted[i]] }
            .Concat(Probabilities[i].Cast<object>()).ToList()));

    /// <summary>Reads a predictions.csv back: the class names come from its p_&lt;class&gt; columns, in order.</summary>
    public static Predictions ReadCsv(string path)
    {
        var header = Csv.Header(path);
        if (header.Count < 4 || header[0] != "path" || header[1] != "true" || header[2] != "pred" || !header.Skip(3).All(h => h.StartsWith(ProbabilityPrefix, StringComparison.Ordinal)))
            throw new InvalidDataException($"{path} is not a predictions.csv: expected the columns path,true,pred,p_<class>..., got {string.Join(",", header)}.");
        var classNames = header.Skip(3).Select(h => h[ProbabilityPrefix.Length..]).ToList();
        var rows = Csv.Read(path).Skip(1).ToList();
        if (rows.FirstOrDefault(r => r.Count != header.Count) is { } bad)
            throw new InvalidDataException($"{path}: a row has {bad.Count} fields, the header {header.Count}: {string.Join(",", bad)}.");
        int Index(string name) => classNames.IndexOf(name) is var i and >= 0 ? i
            : throw new InvalidDataException($"{path}: class {name} has no p_{name} column.");
        return new Predictions(classNames,
            rows.Select(r => r[0]).ToArray(),
            rows.Select(r => Index(r[1])).ToArray(),
            rows.Select(r => Index(r[2])).ToArray(),
            rows.Select(r => r.Skip(3).Select(Probability).ToArray()).ToArray());

        float Probability(string text) =>
            float.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var p) ? p
                : throw new InvalidDataException($"{path}: '{text}' is not a probability (a number such as 0.861).");
    }

    /// <summary>The prefix of predictions.csv's probability columns: p_NORMAL, p_PNEUMONIA, ...</summary>
    public const string ProbabilityPrefix = "p_";
}

/// <summary>A wrongly classified file, with the probability the model gave its wrong answer.</summary>
public sealed record Misclassification(string Path, string TrueClass, string PredictedClass, float Confidence);
