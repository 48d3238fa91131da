using System.Text.Json;
using XRay.Data;
using static TorchSharp.torch;

namespace XRay.Metrics;

/// <summary>
/// Everything `xray evaluate` prints and writes, from one pass over the data: predictions (→ predictions.csv), the
/// confusion matrix, the classification report, ROC curves, and the misclassified files.
/// </summary>
public sealed record Evaluation(Predictions Predictions, ConfusionMatrix ConfusionMatrix, ClassificationReport Report, IReadOnlyList<RocCurve> RocCurves)
{
    public static Evaluation Run(nn.Module<Tensor, Tensor> model, IBatchSource data, Device? device = null) =>
        From(Predictions.Predict(model, data, device));

    public static Evaluation From(Predictions predictions)
    {
        var matrix = new ConfusionMatrix(predictions.Labels, predictions.Predicted, predictions.ClassNames.Count);
        return new Evaluation(predictions, matrix, new ClassificationReport(matrix, predictions.ClassNames), RocCurve.OneVsRest(predictions));
    }

    public double Accuracy => Report.Accuracy;

    public IReadOnlyList<Misclassification> Misclassified => Predictions.Misclassified();

    /// <summary>{"classes":[…],"report":{…},"confusion_matrix":[[…]],"accuracy":…,"auc":{…}} as `xray evaluate --json` prints.</summary>
    public string ToJson() => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["classes"] = Predictions.ClassNames,
        ["report"] = Report.ToDictionary(),
        ["confusion_matrix"] = ConfusionMatrix.ToArray(),
        ["accuracy"] = Accuracy,
        ["auc"] = RocCurves.ToDictionary(c => c.ClassName, c => double.IsNaN(c.Auc) ? (double?)null : c.Auc),
    });

    /// <summary>The report, then the confusion matrix, as seed 001 prints them.</summary>
    public override string ToString() => Report + "\n" + ConfusionMatrix + "\n";
}
