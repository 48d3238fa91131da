namespace XRay.Metrics;

/// <summary>
/// One class's ROC curve, one-vs-rest: scikit-learn's roc_curve (drop_intermediate=True) on that class's probability,
/// with the area under it (roc_auc_score). The first point is (0, 0) at threshold +inf.
/// </summary>
public sealed record RocCurve(string ClassName, double[] FalsePositiveRate, double[] TruePositiveRate, double[] Thresholds, double Auc)
{
    /// <summary>Class <paramref name="positive"/> against the rest, scored by <paramref name="scores"/>.</summary>
    public static RocCurve Compute(IReadOnlyList<int> labels, IReadOnlyList<double> scores, int positive, string? className = null)
    {
        var counts = BinaryCounts.Compute(labels, scores, positive);
        var (tps, fps, thresholds) = (counts.TruePositives, counts.FalsePositives, counts.Thresholds);
        var (tp, fp) = (counts.Positives, counts.Negatives);
        // drop_intermediate: keep the ends and the points where the curve bends.
        var keep = new List<int>();
        for (var i = 0; i < tps.Length; i++)
            if (i == 0 || i == tps.Length - 1 || fps[i + 1] - 2 * fps[i] + fps[i - 1] != 0 || tps[i + 1] - 2 * tps[i] + tps[i - 1] != 0)
                keep.Add(i);
        var fpr = new List<double> { 0 };
        var tpr = new List<double> { 0 };
        var th = new List<double> { double.PositiveInfinity };
        foreach (var i in keep)
        {
            fpr.Add(fp == 0 ? double.NaN : fps[i] / fp);
            tpr.Add(tp == 0 ? double.NaN : tps[i] / tp);
            th.Add(thresholds[i]);
        }
        var auc = 0.0;
        for (var i = 1; i < fpr.Count; i++) auc += (fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1]) / 2;
        return new RocCurve(className ?? positive.ToString(System.Globalization.CultureInfo.InvariantCulture),
            fpr.ToArray(), tpr.ToArray(), th.ToArray(), tp == 0 || fp == 0 ? double.NaN : auc);
    }

    /// <summary>One curve per class from predictions (one-vs-rest, as roc_auc_score(multi_class='ovr')).</summary>
    public static IReadOnlyList<RocCurve> OneVsRest(Predictions predictions) =>
        Enumerable.Range(0, predictions.ClassNames.Count)
            .Select(c => Compute(predictions.Labels, BinaryCounts.Scores(predictions, c), c, predictions.ClassNames[c]))
            .ToList();

    /// <summary>roc_auc_score(multi_class='ovr', average='macro'): the mean of the per-class AUCs.</summary>
    public static double MacroAuc(IReadOnlyList<RocCurve> curves) => curves.Average(c => c.Auc);
}
