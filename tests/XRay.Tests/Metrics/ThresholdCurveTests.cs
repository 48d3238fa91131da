using XRay.Metrics;
using XRay.TestSupport;

namespace XRay.Tests.Metrics;

public class ThresholdCurveTests
{
    /// <summary>Sensitivity is roc_curve's TPR and specificity 1 − FPR at every threshold (drop_intermediate=False).</summary>
    [Fact]
    [Trait("Category", TestCategories.Parity)]
    public void Sensitivity_and_specificity_match_scikit_learns_roc_curve_at_every_threshold()
    {
        var predictions = ReferenceScores.Make(n: 120, seed: 3);
        var curve = ThresholdCurve.Compute(predictions, "COVID19");
        var printed = PythonReference.Run(ReferenceScores.Load + """
            from sklearn.metrics import roc_curve
            fpr, tpr, th = roc_curve(y == 1, P[:, 1], drop_intermediate=False)
            for v in (th[1:], tpr[1:], 1 - fpr[1:]): print(' '.join(repr(float(x)) for x in v))
            i = int(np.argmax(tpr >= 0.95)); print(repr(float(th[i])), repr(float(1 - fpr[i])))
            """, ReferenceScores.File(predictions));
        var lines = printed.Split('\n').Select(ReferenceScores.Numbers).ToArray();
        Assert.Equal("COVID19", curve.ClassName);
        Assert.Equal(lines[0], curve.Thresholds);
        for (var i = 0; i < lines[0].Length; i++)
        {
            Assert.Equal(lines[1][i], curve.Sensitivity[i], 12);
            Assert.Equal(lines[2][i], curve.Specificity[i], 12);
        }
        var point = curve.AtSensitivity(0.95)!;
        Assert.Equal(lines[3][0], point.Threshold);
        Assert.Equal(lines[3][1], point.Specificity, 12);
        Assert.True(point.Sensitivity >= 0.95);
    }

    [Fact]
    public void Bad_input_names_the_problem()
    {
        var predictions = ReferenceScores.Make(n: 20);
        Assert.Contains("There is no class 'TB'; the classes are NORMAL, COVID19, PNEUMONIA",
            Assert.Throws<ArgumentException>(() => ThresholdCurve.Compute(predictions, "TB")).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ThresholdCurve.Compute(predictions, "covid19").AtSensitivity(1.5));
    }
}
