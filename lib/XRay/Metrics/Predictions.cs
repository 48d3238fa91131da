using Microsoft.Data.Analysis;
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

    /// <summary>The samples the model got wrong as a table (path, true, predicted, confidence), most confident first.</summary>
    public DataFrame MisclassifiedFrame()
    {
        var wrong = Misclassified();
        return new DataFrame(
            new StringDataFrameColumn("path", wrong.Select(m => m.Path)),
            new StringDataFrameColumn("true", wrong.Select(m => m.TrueClass)),
            new StringDataFrameColumn("predicted", wrong.Select(m => m.PredictedClass)),
            new SingleDataFrameColumn("confidence", wrong.Select(m => m.Confidence)));
    }

    /// <summary>One row per sample: path, true, pred and one probability per class (named p_&lt;class&gt;), as predictions.csv.</summary>
    public DataFrame ToDataFrame()
    {
        var columns = new List<DataFrameColumn>
        {
            new StringDataFrameColumn("path", Paths),
            new StringDataFrameColumn("true", Labels.Select(l => ClassNames[l])),
            new StringDataFrameColumn("pred", Predicted.Select(p => ClassNames[p])),
        };
        for (var c = 0; c < ClassNames.Count; c++)
            columns.Add(new SingleDataFrameColumn(ProbabilityPrefix + ClassNames[c], Probabilities.Select(p => p[c])));
        return new DataFrame(columns);
    }

    /// <summary>predictions.csv: <see cref="ToDataFrame"/> as CSV, numbers in the invariant culture whatever the machine's.</summary>
    public void WriteCsv(string path) => CsvFrame.Save(ToDataFrame(), path);

    /// <summary>Reads a predictions.csv back: the class names come from its p_&lt;class&gt; columns, in order.</summary>
    public static Predictions ReadCsv(string path)
    {
        var header = CsvFrame.Header(path);
        if (header.Count < 4 || header[0] != "path" || header[1] != "true" || header[2] != "pred" || !header.Skip(3).All(h => h.StartsWith(ProbabilityPrefix, StringComparison.Ordinal)))
            throw new InvalidDataException($"{path} is not a predictions.csv: expected the columns path,true,pred,p_<class>..., got {string.Join(",", header)}.");
        var classNames = header.Skip(3).Select(h => h[ProbabilityPrefix.Length..]).ToList();
        var frame = CsvFrame.Load(path, header.Select((_, i) => i < 3 ? typeof(string) : typeof(float)).ToList());
        int Index(object? name) => classNames.IndexOf((string)name!) is var i and >= 0 ? i
            : throw new InvalidDataException($"{path}: class {name} has no p_{name} column.");
        var rows = (int)frame.Rows.Count;
        var probabilities = Enumerable.Range(0, rows)
            .Select(r => Enumerable.Range(0, classNames.Count).Select(c => (float)frame.Columns[3 + c][r]!).ToArray()).ToArray();
        return new Predictions(classNames,
            Enumerable.Range(0, rows).Select(r => (string)frame.Columns[0][r]!).ToArray(),
            Enumerable.Range(0, rows).Select(r => Index(frame.Columns[1][r])).ToArray(),
            Enumerable.Range(0, rows).Select(r => Index(frame.Columns[2][r])).ToArray(),
            probabilities);
    }

    private const string ProbabilityPrefix = "p_";
}

/// <summary>A wrongly classified file, with the probability the model gave its wrong answer.</summary>
public sealed record Misclassification(string Path, string TrueClass, string PredictedClass, float Confidence);
