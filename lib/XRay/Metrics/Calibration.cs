namespace XRay.Metrics;

/// <summary>
/// How far the probabilities can be taken at their word. <see cref="Ece"/>: top-label expected calibration error (Guo et
/// al., 2017), <see cref="Brier"/>: multi-class Brier score, <see cref="Nll"/>: mean negative log-likelihood, as
/// scikit-learn's log_loss. <see cref="Diagram"/> is the reliability diagram the ECE sums over.
/// <para>
/// Bins: <see cref="Bins"/> equal-width bins on [0, 1] with edges i/B computed as numpy's linspace, each (lower, upper]
/// (a confidence exactly on an edge counts in the bin below it) and 0 in the first; this is scikit-learn's
/// calibration_curve (searchsorted over the inner edges) and Guo's code, except that Guo's drops a confidence of exactly 0,
/// which a top label (at least 1/K) never has.
/// </para>
/// </summary>
public sealed record Calibration(double Ece, double Brier, double Nll, int Bins, IReadOnlyList<ReliabilityBin> Diagram)
{
    public const int DefaultBins = 15;

    /// <summary>The probabilities of <paramref name="predictions"/> against their true labels.</summary>
    public static Calibration Compute(Predictions predictions, int bins = DefaultBins) =>
        Compute(predictions.Labels, Probabilities.ToDouble(predictions.Probabilities), bins);

    /// <param name="labels">True class per image, 0..K-1.</param>
    /// <param name="probabilities">One row of K probabilities per image.</param>
    public static Calibration Compute(IReadOnlyList<int> labels, IReadOnlyList<double[]> probabilities, int bins = DefaultBins)
    {
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins), bins, "The reliability diagram needs at least one bin.");
        Probabilities.Check(labels, probabilities);
        var n = labels.Count;
        var edges = Edges(bins);
        var (count, correct, confidence) = (new int[bins], new double[bins], new double[bins]);
        double brier = 0, nll = 0;
        for (var i = 0; i < n; i++)
        {
            var p = probabilities[i];
            var top = Probabilities.ArgMax(p);
            var b = BinOf(p[top], edges);
            count[b]++;
            confidence[b] += p[top];
            if (top == labels[i]) correct[b]++;
            for (var k = 0; k < p.Length; k++)
            {
                var d = p[k] - (k == labels[i] ? 1 : 0);
                brier += d * d;
            }
            nll -= Math.Log(LogLossProbability(p, labels[i]));
        }
        var diagram = Enumerable.Range(0, bins).Select(b => new ReliabilityBin(edges[b], edges[b + 1], count[b],
            count[b] == 0 ? double.NaN : correct[b] / count[b], count[b] == 0 ? double.NaN : confidence[b] / count[b])).ToList();
        var ece = n == 0 ? double.NaN : diagram.Sum(d => d.Gap * d.Count) / n;
        return new Calibration(ece, n == 0 ? double.NaN : brier / n, n == 0 ? double.NaN : nll / n, bins, diagram);
    }

    /// <summary>numpy.linspace(0, 1, bins + 1): i * (1 / bins), the last edge exactly 1.</summary>
    internal static double[] Edges(int bins)
    {
        var step = 1.0 / bins;
        var edges = Enumerable.Range(0, bins + 1).Select(i => i * step).ToArray();
        edges[^1] = 1;
        return edges;
    }

    /// <summary>The first bin whose upper edge is at least <paramref name="confidence"/>: (lower, upper], 0 in bin 0, above 1 in the last.</summary>
    internal static int BinOf(double confidence, double[] edges)
    {
        var bins = edges.Length - 1;
        for (var b = 0; b < bins - 1; b++)
            if (confidence <= edges[b + 1]) return b;
        return bins - 1;
    }

    // scikit-learn's log_loss on float64: every probability clipped to [eps, 1 - eps], the row renormalized, then the
    // true class's share; so a probability of 0 costs -log(eps) ≈ 36 instead of infinity.
    private static double LogLossProbability(double[] p, int label)
    {
        const double eps = 2.220446049250313e-16; // numpy.finfo(float64).eps
        double sum = 0;
        foreach (var v in p) sum += Math.Clamp(v, eps, 1 - eps);
        return Math.Clamp(p[label], eps, 1 - eps) / sum;
    }
}
