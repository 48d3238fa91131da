using System.Globalization;
using XRay.Metrics;
using XRay.TestSupport;
using static TorchSharp.torch;

namespace XRay.Tests.Metrics;

[Trait("Category", TestCategories.Parity)]
public class DeviceConfusionTests
{
    /// <summary>Accumulated batch by batch on the device, the matrix and its macro averages equal scikit-learn's on the same labels.</summary>
    [Fact]
    public void Batches_add_up_to_scikit_learns_confusion_matrix_and_macro_scores()
    {
        var random = new Random(5);
        var truth = Enumerable.Range(0, 203).Select(_ => random.Next(3)).ToArray();
        // Mostly right, and class 2 never predicted: the zero_division case.
        var predicted = truth.Select(t => random.NextDouble() < 0.7 ? Math.Min(t, 1) : random.Next(2)).ToArray();
        using var confusion = new DeviceConfusion(3, CPU);
        for (var start = 0; start < truth.Length; start += 32)
        {
            var n = Math.Min(32, truth.Length - start);
            using var y = tensor(truth.Skip(start).Take(n).Select(v => (long)v).ToArray());
            using var p = tensor(predicted.Skip(start).Take(n).Select(v => (long)v).ToArray());
            confusion.Add(y, p);
        }
        var matrix = confusion.ToMatrix();
        Assert.Equal(new ConfusionMatrix(truth, predicted, 3).ToArray(), matrix.ToArray());
        using (var correct = confusion.Correct()) Assert.Equal(matrix.Correct, correct.item<long>());

        var macro = new ClassificationReport(matrix).MacroAverage;
        var printed = PythonReference.Run(
            "import sys, json; from sklearn.metrics import precision_recall_fscore_support as s\n" +
            "t, p = json.loads(sys.argv[1]), json.loads(sys.argv[2])\n" +
            "print(' '.join(repr(float(v)) for v in s(t, p, labels=[0, 1, 2], average='macro', zero_division=0)[:3]))",
            "[" + string.Join(",", truth) + "]", "[" + string.Join(",", predicted) + "]");
        var expected = printed.Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(expected[0], macro.Precision, 12);
        Assert.Equal(expected[1], macro.Recall, 12);
        Assert.Equal(expected[2], macro.F1, 12);
    }
}
