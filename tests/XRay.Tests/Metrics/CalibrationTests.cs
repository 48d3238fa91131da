using XRay.Metrics;
using XRay.TestSupport;

namespace XRay.Tests.Metrics;

public class CalibrationTests
{
    /// <summary>ECE against a direct implementation of Guo et al.'s definition, Brier against numpy, NLL against log_loss.</summary>
    [Fact]
    [Trait("Category", TestCategories.Parity)]
    public void Ece_brier_and_nll_match_guo_numpy_and_scikit_learn()
    {
        var predictions = ReferenceScores.Make();
        var ours = Calibration.Compute(predictions);
        var printed = PythonReference.Run(ReferenceScores.Load + """
            from sklearn.metrics import log_loss
            conf = P.max(axis=1); correct = (P.argmax(axis=1) == y).astype(float)
            edges = np.linspace(0, 1, 16); ece = 0.0
            for i, (lo, hi) in enumerate(zip(edges[:-1], edges[1:])):
                inside = (conf > lo) & (conf <= hi) if i > 0 else (conf >= lo) & (conf <= hi)
                if inside.any(): ece += abs(correct[inside].mean() - conf[inside].mean()) * inside.sum() / len(y)
            onehot = np.eye(P.shape[1])[y]
            print(repr(ece), repr(((P - onehot) ** 2).sum(axis=1).mean()), repr(log_loss(y, P, labels=[0, 1, 2])))
            """, ReferenceScores.File(predictions));
        var expected = ReferenceScores.Numbers(printed);
        Assert.True(ours.Ece > 0.01, $"the fixture should be miscalibrated, ECE {ours.Ece}"); // so equal values mean something
        Assert.Equal(expected[0], ours.Ece, 12);
        Assert.Equal(expected[1], ours.Brier, 12);
        Assert.Equal(expected[2], ours.Nll, 12);
        Assert.Equal(15, ours.Bins);
    }

    /// <summary>The reliability diagram's non-empty bins equal scikit-learn's calibration_curve on (correct, confidence).</summary>
    [Fact]
    [Trait("Category", TestCategories.Parity)]
    public void Reliability_bins_match_scikit_learn_calibration_curve()
    {
        var predictions = ReferenceScores.Make(sharpness: 1.5, seed: 4);
        var bins = Calibration.Compute(predictions).Diagram.Where(b => b.Count > 0).ToList();
        var printed = PythonReference.Run(ReferenceScores.Load + """
            from sklearn.calibration import calibration_curve
            t, p = calibration_curve((P.argmax(axis=1) == y).astype(int), P.max(axis=1), n_bins=15)
            print(' '.join(repr(v) for v in t)); print(' '.join(repr(v) for v in p))
            """, ReferenceScores.File(predictions));
        var lines = printed.Split('\n');
        var (accuracy, confidence) = (ReferenceScores.Numbers(lines[0]), ReferenceScores.Numbers(lines[1]));
        Assert.True(bins.Count >= 5, $"only {bins.Count} bins are used");
        Assert.Equal(accuracy.Length, bins.Count);
        for (var i = 0; i < bins.Count; i++)
        {
            Assert.Equal(accuracy[i], bins[i].Accuracy, 12);
            Assert.Equal(confidence[i], bins[i].Confidence, 12);
        }
    }

    /// <summary>
    /// By hand: A is right at a confidence exactly on the edge 10/15, C wrong at 0.7 (bin 10, (10/15, 11/15]), B wrong at
    /// 0.9 (bin 13). With (lo, hi] bins A sits alone in bin 9, so ECE = ((1 − e) + 0.7 + 0.9) / 3; were the edge counted
    /// in the bin above, A and C would share bin 10 and the ECE would be (|0.5 − (e + 0.7) / 2| · 2 + 0.9) / 3.
    /// </summary>
    [Fact]
    [Trait("Category", TestCategories.Parity)]
    public void A_confidence_on_a_bin_edge_counts_in_the_bin_below()
    {
        var e = 10 * (1.0 / 15); // numpy.linspace(0, 1, 16)[10]
        var probabilities = new[] { new[] { e, 1 - e, 0 }, new[] { 0.05, 0.9, 0.05 }, new[] { 0.7, 0.2, 0.1 } };
        var labels = new[] { 0, 0, 1 };

        var calibration = Calibration.Compute(labels, probabilities);

        Assert.Equal(((1 - e) + 0.7 + 0.9) / 3, calibration.Ece, 15);
        Assert.NotEqual((Math.Abs(0.5 - (e + 0.7) / 2) * 2 + 0.9) / 3, calibration.Ece, 6);
        Assert.Equal(1, calibration.Diagram[9].Count);
        Assert.Equal(1, calibration.Diagram[10].Count);
        // The same assignment as scikit-learn's calibration_curve: searchsorted over the inner edges.
        var bin = PythonReference.Run("import numpy as np\nprint(int(np.searchsorted(np.linspace(0, 1, 16)[1:-1], np.linspace(0, 1, 16)[10])))");
        Assert.Equal("9", bin);
    }

    [Fact]
    public void Certain_and_right_is_perfectly_calibrated_and_the_top_edge_is_in_the_last_bin()
    {
        var calibration = Calibration.Compute(new[] { 1, 0 }, new[] { new[] { 0.0, 1.0 }, new[] { 1.0, 0.0 } });
        Assert.Equal(0, calibration.Ece);
        Assert.Equal(0, calibration.Brier);
        Assert.Equal(2, calibration.Diagram[^1].Count);
        // log_loss clips at float64's eps: certain and right costs -log(1 - eps), not 0 exactly.
        Assert.Equal(-Math.Log(1 - 2.220446049250313e-16), calibration.Nll, 1e-30);
    }

    [Fact]
    public void Bad_input_names_the_problem()
    {
        Assert.Contains("2 labels but 1 rows", Assert.Throws<ArgumentException>(() => Calibration.Compute(new[] { 0, 1 }, new[] { new[] { 1.0, 0 } })).Message);
        Assert.Contains("label 3", Assert.Throws<ArgumentException>(() => Calibration.Compute(new[] { 3 }, new[] { new[] { 1.0, 0 } })).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Calibration.Compute(new[] { 0 }, new[] { new[] { 1.0, 0 } }, bins: 0));
    }
}
