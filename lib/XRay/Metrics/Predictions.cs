using System.Globalization;
using System.Text;
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
    /// are softmax, or [1 - p, p] for a sigmoid unit. Each batch comes back to the host once.
    /// </summary>
    public static Predictions Predict(nn.Module<Tensor, Tensor> model, IBatchSource data, Device? device = null, bool? channelsLast = null)
    {
        var (paths, labels, predicted, probabilities) = (new List<string>(), new List<int>(), new List<int>(), new List<float[]>());
        Inference.ForEachBatch(model, data, device, channelsLast, (batch, y, logits) =>
        {
            var rows = Inference.Rows(logits);
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

    /// <summary>The samples the model got wrong, most confident mistakes first.</summary>
    public IReadOnlyList<Misclassification> Misclassified() =>
        Enumerable.Range(0, Count)
            .Where(i => Labels[i] != Predicted[i])
            .Select(i => new Misclassification(Paths[i], ClassNames[Labels[i]], ClassNames[Predicted[i]], Probabilities[i][Predicted[i]]))
            .OrderByDescending(m => m.Confidence)
            .ToList();

    /// <summary>CSV with columns path, true, pred and one probability per class (named p_&lt;class&gt;).</summary>
    public string ToCsv()
    {
        var sb = new StringBuilder("path,true,pred");
        foreach (var c in ClassNames) sb.Append(",p_").Append(Csv(c));
        sb.Append('\n');
        for (var i = 0; i < Count; i++)
        {
            sb.Append(Csv(Paths[i])).Append(',').Append(Csv(ClassNames[Labels[i]])).Append(',').Append(Csv(ClassNames[Predicted[i]]));
            foreach (var p in Probabilities[i]) sb.Append(',').Append(p.ToString("R", CultureInfo.InvariantCulture));
            sb.Append('\n');
        }
        return sb.ToString();
    }

    public void WriteCsv(string path) => AtomicFile.Write(path, Encoding.UTF8.GetBytes(ToCsv()));

    private static string Csv(string s) =>
        s.IndexOfAny(new[] { ',', '"', '\n', '\r' }) < 0 ? s : "\"" + s.Replace("\"", "\"\"") + "\"";
}

/// <summary>A wrongly classified file, with the probability the model gave its wrong answer.</summary>
public sealed record Misclassification(string Path, string TrueClass, string PredictedClass, float Confidence);
