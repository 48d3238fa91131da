using XRay.Metrics;

namespace XRay.Tests.Metrics;

public class ConfusionMatrixTests
{
    private static readonly int[] Truth = { 0, 0, 0, 1, 1, 1, 1, 2, 2, 0, 1, 2 };
    private static readonly int[] Predicted = { 0, 1, 0, 1, 1, 0, 1, 1, 0, 0, 1, 1 };

    [Fact]
    public void Rows_are_true_labels_and_columns_predictions()
    {
        var cm = new ConfusionMatrix(Truth, Predicted, 3);
        // sklearn 1.2.1: confusion_matrix(yt, yp).tolist()
        Assert.Equal(new[] { new long[] { 3, 1, 0 }, new long[] { 1, 4, 0 }, new long[] { 1, 2, 0 } }, cm.ToArray());
        Assert.Equal("[[3 1 0]\n [1 4 0]\n [1 2 0]]", cm.ToString());
    }

    [Fact]
    public void Normalized_rows_match_scikit_learn_and_empty_rows_are_zero()
    {
        var cm = new ConfusionMatrix(Truth, Predicted, 3);
        // sklearn 1.2.1: confusion_matrix(yt, yp, normalize='true').tolist()
        double[][] expected = { new[] { 0.75, 0.25, 0.0 }, new[] { 0.2, 0.8, 0.0 }, new[] { 0.3333333333333333, 0.6666666666666666, 0.0 } };
        var got = cm.Normalized();
        for (var r = 0; r < 3; r++)
            for (var c = 0; c < 3; c++)
                Assert.Equal(expected[r][c], got[r][c], 15);
        var withEmpty = new ConfusionMatrix(new[] { 0, 1 }, new[] { 0, 0 }, 3);
        Assert.Equal(new[] { 0.0, 0.0, 0.0 }, withEmpty.Normalized()[2]);
        Assert.Throws<ArgumentException>(() => new ConfusionMatrix(new[] { 3 }, new[] { 0 }, 3));
    }

    /// <summary>One-vs-rest sensitivity and specificity from scikit-learn's multilabel_confusion_matrix.</summary>
    [Fact]
    [Trait("Category", TestCategories.Parity)]
    public void Sensitivity_and_specificity_match_scikit_learns_one_vs_rest_matrices()
    {
        var predictions = ReferenceScores.Make(n: 80, seed: 8);
        var matrix = new ConfusionMatrix(predictions.Labels, predictions.Predicted, 3);
        var printed = XRay.TestSupport.PythonReference.Run(ReferenceScores.Load + """
            from sklearn.metrics import multilabel_confusion_matrix
            pred = np.array(d['extra'])
            for (tn, fp), (fn, tp) in multilabel_confusion_matrix(y, pred, labels=[0, 1, 2]): print(repr(tp / (tp + fn)), repr(tn / (tn + fp)))
            """, ReferenceScores.File(predictions, predictions.Predicted));
        var expected = ReferenceScores.Numbers(printed);
        for (var c = 0; c < 3; c++)
        {
            Assert.Equal(expected[2 * c], matrix.Sensitivity(c), 15);
            Assert.Equal(expected[2 * c + 1], matrix.Specificity(c), 15);
        }
        Assert.Equal(new ClassificationReport(matrix).Classes[1].Recall, matrix.Sensitivity(1)); // sensitivity is recall
    }
}
