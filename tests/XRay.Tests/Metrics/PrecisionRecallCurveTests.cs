using XRay.Metrics;
using XRay.TestSupport;

namespace XRay.Tests.Metrics;

[Trait("Category", TestCategories.Parity)]
public class PrecisionRecallCurveTests
{
    /// <summary>Each class against the rest, with tied scores: precision_recall_curve and average_precision_score.</summary>
    [Fact]
    public void Curves_and_average_precision_match_scikit_learn()
    {
        var predictions = ReferenceScores.Make(n: 90);
        var curves = PrecisionRecallCurve.OneVsRest(predictions);
        var printed = PythonReference.Run(ReferenceScores.Load + """
            from sklearn.metrics import precision_recall_curve, average_precision_score
            for c in range(3):
                pr, rc, th = precision_recall_curve(y == c, P[:, c])
                for v in (pr, rc, th, [average_precision_score(y == c, P[:, c])]): print(' '.join(repr(float(x)) for x in v))
            """, ReferenceScores.File(predictions));
        var lines = printed.Split('\n');
        for (var c = 0; c < 3; c++)
        {
            var (precision, recall, thresholds, ap) = (ReferenceScores.Numbers(lines[4 * c]), ReferenceScores.Numbers(lines[4 * c + 1]),
                ReferenceScores.Numbers(lines[4 * c + 2]), ReferenceScores.Numbers(lines[4 * c + 3])[0]);
            Assert.Equal(precision.Length, curves[c].Precision.Length);
            Assert.Equal(thresholds, curves[c].Thresholds);
            for (var i = 0; i < precision.Length; i++)
            {
                Assert.Equal(precision[i], curves[c].Precision[i], 12);
                Assert.Equal(recall[i], curves[c].Recall[i], 12);
            }
            Assert.Equal(ap, curves[c].AveragePrecision, 12);
        }
        Assert.True(curves[1].Thresholds.Length < 90, "ties should merge thresholds");
    }
}
