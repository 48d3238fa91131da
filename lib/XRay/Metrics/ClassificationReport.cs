using System.Globalization;
using System.Text;
using System.Text.Json;

namespace XRay.Metrics;

/// <summary>
/// scikit-learn's classification_report over labels 0..K-1: per-class precision, recall, f1 and support, then
/// accuracy, macro and weighted averages; it equals
/// <c>classification_report(y_true, y_pred, labels=range(K), target_names=names)</c>. A 0/0 is 0 (zero_division's default; scikit-learn also warns), so classes
/// that are never predicted, or have no samples, still get a row. <see cref="ToString(int)"/> prints scikit-learn's layout.
/// </summary>
public sealed class ClassificationReport
{
    public ClassificationReport(ConfusionMatrix matrix, IReadOnlyList<string>? classNames = null)
    {
        var k = matrix.Classes;
        var names = classNames ?? Enumerable.Range(0, k).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        if (names.Count != k) throw new ArgumentException($"{names.Count} class names for {k} classes.");
        var rows = new List<ClassMetrics>();
        for (var c = 0; c < k; c++)
        {
            var tp = (double)matrix[c, c];
            var precision = Divide(tp, matrix.ColumnTotal(c));
            var recall = Divide(tp, matrix.RowTotal(c));
            var f1 = Divide(2 * precision * recall, precision + recall); // scikit-learn 1.2: from the divided precision and recall
            rows.Add(new ClassMetrics(names[c], precision, recall, f1, matrix.RowTotal(c)));
        }
        Classes = rows;
        Support = matrix.Total;
        Accuracy = Divide(matrix.Correct, Support);
        // scikit-learn prints "accuracy" only when every label occurs in y_true or y_pred; otherwise a "micro avg" row
        // (whose values, for single-label data within the labels, all equal the accuracy).
        MicroIsAccuracy = Enumerable.Range(0, k).All(c => matrix.RowTotal(c) + matrix.ColumnTotal(c) > 0);
        MacroAverage = new ClassMetrics("macro avg", rows.Average(r => r.Precision), rows.Average(r => r.Recall), rows.Average(r => r.F1), Support);
        WeightedAverage = new ClassMetrics("weighted avg", Weighted(rows, r => r.Precision), Weighted(rows, r => r.Recall), Weighted(rows, r => r.F1), Support);
        Matrix = matrix;
    }

    public static ClassificationReport Create(IReadOnlyList<int> truth, IReadOnlyList<int> predicted, IReadOnlyList<string> classNames) =>
        new(new ConfusionMatrix(truth, predicted, classNames.Count), classNames);

    public IReadOnlyList<ClassMetrics> Classes { get; }
    public double Accuracy { get; }
    public long Support { get; }
    public ClassMetrics MacroAverage { get; }

    /// <summary>False when some class neither occurs nor is predicted: scikit-learn then prints "micro avg" instead of "accuracy".</summary>
    public bool MicroIsAccuracy { get; }
    public ClassMetrics WeightedAverage { get; }
    public ConfusionMatrix Matrix { get; }

    private static double Divide(double a, double b) => b == 0 ? 0 : a / b;

    private static double Weighted(List<ClassMetrics> rows, Func<ClassMetrics, double> metric)
    {
        var total = rows.Sum(r => r.Support);
        return total == 0 ? 0 : rows.Sum(r => metric(r) * r.Support) / total;
    }

    /// <summary>scikit-learn's text, character for character (digits after the point, 2 by default).</summary>
    public string ToString(int digits)
    {
        var width = Math.Max(Math.Max(Classes.Max(r => r.Name.Length), "weighted avg".Length), digits);
        var sb = new StringBuilder();
        sb.Append(new string(' ', width)).Append(' ');
        foreach (var h in new[] { "precision", "recall", "f1-score", "support" }) sb.Append(' ').Append(h.PadLeft(9));
        sb.Append("\n\n");
        foreach (var r in Classes) Row(sb, r, width, digits);
        sb.Append('\n');
        if (!MicroIsAccuracy) Row(sb, new ClassMetrics("micro avg", Accuracy, Accuracy, Accuracy, Support), width, digits);
        else sb.Append("accuracy".PadLeft(width)).Append(' ')
          .Append(' ').Append(new string(' ', 9)).Append(' ').Append(new string(' ', 9))
          .Append(' ').Append(Fixed(Accuracy, digits).PadLeft(9))
          .Append(' ').Append(Support.ToString(CultureInfo.InvariantCulture).PadLeft(9)).Append('\n');
        Row(sb, MacroAverage, width, digits);
        Row(sb, WeightedAverage, width, digits);
        return sb.ToString();
    }

    public override string ToString() => ToString(2);

    private static void Row(StringBuilder sb, ClassMetrics r, int width, int digits)
    {
        sb.Append(r.Name.PadLeft(width)).Append(' ');
        foreach (var v in new[] { r.Precision, r.Recall, r.F1 }) sb.Append(' ').Append(Fixed(v, digits).PadLeft(9));
        sb.Append(' ').Append(r.Support.ToString(CultureInfo.InvariantCulture).PadLeft(9)).Append('\n');
    }

    // .NET Core 3.0+ formats the exact binary value, rounding half to even like Python's format(): "0.125" -> "0.12".
    private static string Fixed(double v, int digits) => v.ToString("F" + digits, CultureInfo.InvariantCulture);

    /// <summary>scikit-learn's output_dict=True: {"&lt;class&gt;": {"precision", "recall", "f1-score", "support"}, "accuracy", "macro avg", "weighted avg"}.</summary>
    public Dictionary<string, object> ToDictionary()
    {
        static Dictionary<string, object> Entry(ClassMetrics r) => new()
        {
            ["precision"] = r.Precision, ["recall"] = r.Recall, ["f1-score"] = r.F1, ["support"] = r.Support,
        };
        var d = new Dictionary<string, object>();
        foreach (var r in Classes) d[r.Name] = Entry(r);
        d["accuracy"] = Accuracy;
        d["macro avg"] = Entry(MacroAverage);
        d["weighted avg"] = Entry(WeightedAverage);
        return d;
    }

    public string ToJson() => JsonSerializer.Serialize(ToDictionary());
}
