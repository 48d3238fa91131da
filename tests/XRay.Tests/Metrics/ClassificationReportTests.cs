using XRay.Metrics;

namespace XRay.Tests.Metrics;

public class ClassificationReportTests
{
    [Fact]
    public void Never_predicted_class_prints_zeros_like_scikit_learn()
    {
        int[] truth = { 0, 0, 0, 1, 1, 1, 1, 2, 2, 0, 1, 2 };
        int[] predicted = { 0, 1, 0, 1, 1, 0, 1, 1, 0, 0, 1, 1 };
        var report = ClassificationReport.Create(truth, predicted, new[] { "COVID19", "NORMAL", "PNEUMONIA" });
        // sklearn 1.2.1: classification_report(yt, yp, target_names=["COVID19","NORMAL","PNEUMONIA"])
        const string expected =
            "              precision    recall  f1-score   support\n\n     COVID19       0.60      0.75      0.67         4\n" +
            "      NORMAL       0.57      0.80      0.67         5\n   PNEUMONIA       0.00      0.00      0.00         3\n\n" +
            "    accuracy                           0.58        12\n   macro avg       0.39      0.52      0.44        12\n" +
            "weighted avg       0.44      0.58      0.50        12\n";
        Assert.Equal(expected, report.ToString());
        Assert.Equal(0.0, report.Classes[2].Precision);
        Assert.Equal(7.0 / 12, report.Accuracy, 12);
    }

    [Fact]
    public void Absent_class_with_four_digits_prints_micro_avg_like_scikit_learn()
    {
        int[] truth = { 0, 1, 2, 2, 1, 0, 0, 2, 1, 1 };
        int[] predicted = { 0, 2, 2, 2, 1, 0, 1, 2, 1, 0 };
        var report = ClassificationReport.Create(truth, predicted, new[] { "0", "1", "2", "3" });
        // sklearn 1.2.1: classification_report(yt2, yp2, labels=[0,1,2,3], digits=4)
        const string expected =
            "              precision    recall  f1-score   support\n\n           0     0.6667    0.6667    0.6667         3\n" +
            "           1     0.6667    0.5000    0.5714         4\n           2     0.7500    1.0000    0.8571         3\n" +
            "           3     0.0000    0.0000    0.0000         0\n\n   micro avg     0.7000    0.7000    0.7000        10\n" +
            "   macro avg     0.5208    0.5417    0.5238        10\nweighted avg     0.6917    0.7000    0.6857        10\n";
        Assert.Equal(expected, report.ToString(4));
    }

    [Fact]
    public void Seed_001_confusion_matrix_gives_its_printed_report()
    {
        long[,] cm = { { 485, 5, 1 }, { 6, 535, 4 }, { 2, 16, 509 } };
        var (truth, predicted) = (new List<int>(), new List<int>());
        for (var i = 0; i < 3; i++)
            for (var j = 0; j < 3; j++)
                for (var n = 0; n < cm[i, j]; n++) { truth.Add(i); predicted.Add(j); }
        // sklearn 1.2.1: classification_report(yt3, yp3) — also the report seed 001 prints
        const string expected =
            "              precision    recall  f1-score   support\n\n           0       0.98      0.99      0.99       491\n" +
            "           1       0.96      0.98      0.97       545\n           2       0.99      0.97      0.98       527\n\n" +
            "    accuracy                           0.98      1563\n   macro avg       0.98      0.98      0.98      1563\n" +
            "weighted avg       0.98      0.98      0.98      1563\n";
        var report = ClassificationReport.Create(truth, predicted, new[] { "0", "1", "2" });
        Assert.Equal(expected, report.ToString());
        Assert.Contains("\"accuracy\":", report.ToJson());
    }
}
