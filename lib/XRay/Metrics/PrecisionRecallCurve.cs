namespace XRay.Metrics;

/// <summary>
/// One class's precision–recall curve, one-vs-rest: scikit-learn's precision_recall_curve on that class's probability,
/// recall decreasing, ending at (recall 0, precision 1) with no threshold, and the average precision
/// (average_precision_score). On a rare class it shows what ROC hides: how many of the alarms are real.
/// </summary>
public sealed record PrecisionRecallCurve(string ClassName, double[] Precision, double[] Recall, double[] Thresholds, double AveragePrecision)
{
    /// <summary>Class <paramref name="positive"/> against the rest, scored by <paramref name="scores"/>.</summary>
    public static PrecisionRecallCurve Compute(IReadOnlyList<int> labels, IReadOnlyList<double> scores, int positive, string? className = null)
    {
        var counts = BinaryCounts.Compute(labels, scores, positive);
        var m = counts.Thresholds.Length;
        var (precision, recall, thresholds) = (new double[m + 1], new double[m + 1], new double[m]);
        for (var i = 0; i < m; i++)
        {
            var (tp, fp) = (counts.TruePositives[m - 1 - i], counts.FalsePositives[m - 1 - i]);
            precision[i] = tp + fp == 0 ? 0 : tp / (tp + fp);
            recall[i] = counts.Positives == 0 ? double.NaN : tp / counts.Positives;
            thresholds[i] = counts.Thresholds[m - 1 - i];
        }
        (precision[m], recall[m]) = (1, 0);
        // average_precision_score: sum over steps of (R_n - R_{n-1}) P_n.
        var ap = 0.0;
        for (var i = 0; i < m; i++) ap -= (recall[i + 1] - recall[i]) * precision[i];
        return new PrecisionRecallCurve(className ?? positive.ToString(System.Globalization.CultureInfo.InvariantCulture),
            precision, recall, thresholds, counts.Positives == 0 ? double.NaN : ap);
    }

    /// <summary>One curve per class from predictions.</summary>
    public static IReadOnlyList<PrecisionRecallCurve> OneVsRest(Predictions predictions) =>
        Enumerable.Range(0, predictions.ClassNames.Count)
            .Select(c => Compute(predictions.Labels, BinaryCounts.Scores(predictions, c), c, predictions.ClassNames[c]))
            .ToList();
}
