using XRay.Metrics;

namespace XRay.Tests.Metrics;

public class RocCurveTests
{
    [Fact]
    public void Binary_curve_and_auc_match_scikit_learn()
    {
        int[] y = { 0, 0, 1, 1, 0, 1, 1, 0, 1, 0 };
        double[] s = { 0.1, 0.4, 0.35, 0.8, 0.4, 0.9, 0.6, 0.2, 0.6, 0.7 };
        var roc = RocCurve.Compute(y, s, positive: 1);
        // sklearn 1.2.1: roc_curve(y, s) and roc_auc_score(y, s) (its first threshold is max+1, ours +inf as in sklearn >= 1.3)
        Assert.Equal(new[] { 0.0, 0.0, 0.0, 0.2, 0.2, 0.6, 0.6, 1.0 }, roc.FalsePositiveRate);
        Assert.Equal(new[] { 0.0, 0.2, 0.4, 0.4, 0.8, 0.8, 1.0, 1.0 }, roc.TruePositiveRate);
        Assert.Equal(new[] { 0.9, 0.8, 0.7, 0.6, 0.4, 0.35, 0.1 }, roc.Thresholds.Skip(1));
        Assert.Equal(0.8, roc.Auc, 12);
    }

    [Fact]
    public void One_vs_rest_auc_matches_scikit_learn()
    {
        int[] y = { 0, 1, 2, 2, 1, 0 };
        float[][] p =
        {
            new[] { .7f, .2f, .1f }, new[] { .2f, .5f, .3f }, new[] { .1f, .3f, .6f },
            new[] { .3f, .3f, .4f }, new[] { .4f, .4f, .2f }, new[] { .5f, .1f, .4f },
        };
        var predictions = new Predictions(new[] { "a", "b", "c" }, new string[6], y, y, p);
        var curves = RocCurve.OneVsRest(predictions);
        // sklearn 1.2.1: roc_auc_score(yy, P, multi_class='ovr') = 0.9791666666666666; per class [1.0, 1.0, 0.9375]
        Assert.Equal(new[] { 1.0, 1.0, 0.9375 }, curves.Select(c => Math.Round(c.Auc, 12)));
        Assert.Equal(0.9791666666666666, RocCurve.MacroAuc(curves), 12);
    }
}
