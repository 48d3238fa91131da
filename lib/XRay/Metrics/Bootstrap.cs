namespace XRay.Metrics;

/// <summary>
/// The percentile bootstrap over images: resample the test set with replacement, recompute the metric on each resample,
/// and take the middle <see cref="BootstrapOptions.Level"/> of those values (numpy.percentile, linear interpolation). On
/// a few hundred images it shows how much the accuracy would move on another test set of the same size.
/// </summary>
public static class Bootstrap
{
    /// <summary>
    /// The resamples: <paramref name="resamples"/> arrays of <paramref name="n"/> indices drawn uniformly with replacement,
    /// in order, from System.Random(<paramref name="seed"/>), so they are the same for a seed on every run and machine.
    /// </summary>
    public static IEnumerable<int[]> Indices(int n, int resamples, int seed)
    {
        var random = new Random(seed);
        for (var r = 0; r < resamples; r++)
        {
            var draw = new int[n];
            for (var i = 0; i < n; i++) draw[i] = random.Next(n);
            yield return draw;
        }
    }

    public static ConfidenceIntervals Intervals(Predictions predictions, BootstrapOptions? options = null)
    {
        options ??= new BootstrapOptions();
        options.Validate();
        var n = predictions.Count;
        if (n == 0) throw new ArgumentException("A bootstrap needs at least one image.");
        var k = predictions.ClassNames.Count;
        var (accuracy, macroF1) = (new List<double>(), new List<double>());
        var recall = Enumerable.Range(0, k).Select(_ => new List<double>()).ToArray();
        var (truth, predicted) = (new int[n], new int[n]);
        foreach (var draw in Indices(n, options.Resamples, options.Seed))
        {
            for (var i = 0; i < n; i++) (truth[i], predicted[i]) = (predictions.Labels[draw[i]], predictions.Predicted[draw[i]]);
            var report = new ClassificationReport(new ConfusionMatrix(truth, predicted, k));
            accuracy.Add(report.Accuracy);
            macroF1.Add(report.MacroAverage.F1);
            for (var c = 0; c < k; c++)
                if (report.Classes[c].Support > 0) recall[c].Add(report.Classes[c].Recall);
        }
        var tail = (1 - options.Level) / 2 * 100;
        Interval Of(List<double> values) => values.Count == 0
            ? new Interval(double.NaN, double.NaN)
            : new Interval(Percentile(values, tail), Percentile(values, 100 - tail));
        return new ConfidenceIntervals(Of(accuracy), Of(macroF1),
            Enumerable.Range(0, k).ToDictionary(c => predictions.ClassNames[c], c => Of(recall[c])), options);
    }

    /// <summary>numpy.percentile(values, q) with its default linear interpolation between the closest ranks.</summary>
    public static double Percentile(IReadOnlyList<double> values, double q)
    {
        if (values.Count == 0) throw new ArgumentException("The percentile of no values is undefined.");
        var sorted = values.Order().ToArray();
        var rank = q / 100 * (sorted.Length - 1);
        var below = (int)Math.Floor(rank);
        var above = Math.Min(below + 1, sorted.Length - 1);
        var t = rank - below;
        var d = sorted[above] - sorted[below];
        return t >= 0.5 ? sorted[above] - d * (1 - t) : sorted[below] + d * t; // numpy's _lerp, for the same last bit
    }
}
