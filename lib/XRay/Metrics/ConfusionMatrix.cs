using System.Globalization;
using System.Text;

namespace XRay.Metrics;

/// <summary>scikit-learn's confusion_matrix over labels 0..K-1: rows are true labels, columns predicted labels.</summary>
public sealed class ConfusionMatrix
{
    private readonly long[,] counts;

    public ConfusionMatrix(IReadOnlyList<int> truth, IReadOnlyList<int> predicted, int classes)
    {
        if (truth.Count != predicted.Count) throw new ArgumentException($"{truth.Count} true labels but {predicted.Count} predictions.");
        if (classes <= 0) throw new ArgumentOutOfRangeException(nameof(classes), classes, "There must be at least one class.");
        counts = new long[classes, classes];
        for (var i = 0; i < truth.Count; i++)
        {
            if ((uint)truth[i] >= classes || (uint)predicted[i] >= classes)
                throw new ArgumentException($"Sample {i} has label {truth[i]} / prediction {predicted[i]} outside 0..{classes - 1}.");
            counts[truth[i], predicted[i]]++;
        }
        Classes = classes;
    }

    /// <summary>From counts already made: <paramref name="counts"/>[true, predicted].</summary>
    public ConfusionMatrix(long[,] counts)
    {
        if (counts.GetLength(0) != counts.GetLength(1) || counts.GetLength(0) == 0)
            throw new ArgumentException($"A confusion matrix is K x K with K >= 1, got {counts.GetLength(0)} x {counts.GetLength(1)}.");
        this.counts = (long[,])counts.Clone();
        Classes = counts.GetLength(0);
    }

    public int Classes { get; }

    public long this[int trueLabel, int predictedLabel] => counts[trueLabel, predictedLabel];

    public long[][] ToArray() =>
        Enumerable.Range(0, Classes).Select(r => Enumerable.Range(0, Classes).Select(c => counts[r, c]).ToArray()).ToArray();

    public long RowTotal(int trueLabel) => Enumerable.Range(0, Classes).Sum(c => counts[trueLabel, c]);

    public long ColumnTotal(int predictedLabel) => Enumerable.Range(0, Classes).Sum(r => counts[r, predictedLabel]);

    public long Total => Enumerable.Range(0, Classes).Sum(RowTotal);

    public long Correct => Enumerable.Range(0, Classes).Sum(i => counts[i, i]);

    /// <summary>
    /// Sensitivity of <paramref name="c"/>, one-vs-rest: of the images truly <paramref name="c"/>, the share called
    /// <paramref name="c"/> (its recall; 0 when there are none, as scikit-learn's zero_division).
    /// </summary>
    public double Sensitivity(int c) => RowTotal(c) is var p and > 0 ? (double)counts[c, c] / p : 0;

    /// <summary>
    /// Specificity of <paramref name="c"/>, one-vs-rest: of the images truly something else, the share not called
    /// <paramref name="c"/> (the recall of "not c"; 0 when every image is <paramref name="c"/>).
    /// </summary>
    public double Specificity(int c)
    {
        var negatives = Total - RowTotal(c);
        var falseAlarms = ColumnTotal(c) - counts[c, c];
        return negatives > 0 ? (double)(negatives - falseAlarms) / negatives : 0;
    }

    /// <summary>
    /// Each row divided by its total (confusion_matrix(normalize='true'), as seed 001 plots); a class with no samples
    /// gets a row of zeros, as scikit-learn's nan_to_num gives.
    /// </summary>
    public double[][] Normalized() =>
        Enumerable.Range(0, Classes).Select(r =>
        {
            var total = (double)RowTotal(r);
            return Enumerable.Range(0, Classes).Select(c => total == 0 ? 0.0 : counts[r, c] / total).ToArray();
        }).ToArray();

    /// <summary>numpy's printout, e.g. [[485   5   1]\n [  6 535   4]\n [  2  16 509]].</summary>
    public override string ToString()
    {
        var width = ToArray().SelectMany(r => r).Max().ToString(CultureInfo.InvariantCulture).Length;
        var sb = new StringBuilder("[");
        for (var r = 0; r < Classes; r++)
        {
            sb.Append(r == 0 ? "[" : " [");
            sb.Append(string.Join(" ", Enumerable.Range(0, Classes).Select(c => counts[r, c].ToString(CultureInfo.InvariantCulture).PadLeft(width))));
            sb.Append(r == Classes - 1 ? "]]" : "]\n");
        }
        return sb.ToString();
    }
}
