namespace XRay.Metrics;

/// <summary>
/// scikit-learn's _binary_clf_curve: scores in decreasing order, and at each distinct score the cumulative true and false
/// positives when everything scored at least that high is called positive. ROC, precision–recall and the threshold
/// view all read these.
/// </summary>
internal sealed record BinaryCounts(double[] TruePositives, double[] FalsePositives, double[] Thresholds)
{
    public double Positives => TruePositives.Length == 0 ? 0 : TruePositives[^1];

    public double Negatives => FalsePositives.Length == 0 ? 0 : FalsePositives[^1];

    public static BinaryCounts Compute(IReadOnlyList<int> labels, IReadOnlyList<double> scores, int positive)
    {
        if (labels.Count != scores.Count) throw new ArgumentException($"{labels.Count} labels but {scores.Count} scores.");
        var order = Enumerable.Range(0, labels.Count).OrderByDescending(i => scores[i]).ToArray(); // stable, as numpy's mergesort
        var (tps, fps, thresholds) = (new List<double>(), new List<double>(), new List<double>());
        double tp = 0, fp = 0;
        for (var j = 0; j < order.Length; j++)
        {
            if (labels[order[j]] == positive) tp++; else fp++;
            if (j == order.Length - 1 || scores[order[j + 1]] != scores[order[j]])
            {
                tps.Add(tp);
                fps.Add(fp);
                thresholds.Add(scores[order[j]]);
            }
        }
        return new BinaryCounts(tps.ToArray(), fps.ToArray(), thresholds.ToArray());
    }

    /// <summary>Each sample's probability of class <paramref name="positive"/>: one class against the rest.</summary>
    public static double[] Scores(Predictions predictions, int positive) =>
        predictions.Probabilities.Select(p => (double)p[positive]).ToArray();
}
