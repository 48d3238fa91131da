namespace XRay.Metrics;

/// <summary>
/// The threshold view of one class against the rest: sensitivity and specificity at every distinct probability the
/// model gave that class (an image is positive when its probability is at least the threshold), highest threshold first.
/// Sensitivity is roc_curve's TPR and specificity 1 − FPR (drop_intermediate=False).
/// </summary>
public sealed record ThresholdCurve(string ClassName, double[] Thresholds, double[] Sensitivity, double[] Specificity, double[] Precision)
{
    public static ThresholdCurve Compute(IReadOnlyList<int> labels, IReadOnlyList<double> scores, int positive, string? className = null)
    {
        var counts = BinaryCounts.Compute(labels, scores, positive);
        var (p, n) = (counts.Positives, counts.Negatives);
        return new ThresholdCurve(className ?? positive.ToString(System.Globalization.CultureInfo.InvariantCulture),
            counts.Thresholds,
            counts.TruePositives.Select(tp => p == 0 ? double.NaN : tp / p).ToArray(),
            counts.FalsePositives.Select(fp => n == 0 ? double.NaN : 1 - fp / n).ToArray(),
            counts.TruePositives.Zip(counts.FalsePositives, (tp, fp) => tp / (tp + fp)).ToArray());
    }

    /// <summary>The class named <paramref name="positiveClass"/> against the rest, from its probability in <paramref name="predictions"/>.</summary>
    public static ThresholdCurve Compute(Predictions predictions, string positiveClass)
    {
        var c = IndexOf(predictions.ClassNames, positiveClass);
        return Compute(predictions.Labels, BinaryCounts.Scores(predictions, c), c, predictions.ClassNames[c]);
    }

    /// <summary>
    /// The operating point for a target sensitivity (e.g. 0.95: miss at most 1 in 20): the highest threshold that reaches
    /// it, so the most specific one that does. Null when no threshold reaches it (no positive images).
    /// </summary>
    public OperatingPoint? AtSensitivity(double target)
    {
        if (!(target is > 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(target), target, $"A target sensitivity is in (0, 1], e.g. 0.95; got {target}.");
        for (var i = 0; i < Thresholds.Length; i++)
            if (Sensitivity[i] >= target) return new OperatingPoint(Thresholds[i], Sensitivity[i], Specificity[i], Precision[i]);
        return null;
    }

    internal static int IndexOf(IReadOnlyList<string> classNames, string name)
    {
        for (var i = 0; i < classNames.Count; i++)
            if (string.Equals(classNames[i], name, StringComparison.OrdinalIgnoreCase)) return i;
        throw new ArgumentException($"There is no class '{name}'; the classes are {string.Join(", ", classNames)}.");
    }
}
