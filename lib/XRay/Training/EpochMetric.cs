using XRay.Metrics;

namespace XRay.Training;

/// <summary>
/// A metric Fit logs every epoch from the epoch's confusion matrix (Keras' compile(metrics=[...])): under its name for
/// the training predictions and under val_name for the validation ones. A new metric is one more entry, e.g.
/// <c>new EpochMetric("specificity", r => r.Matrix.Specificity(1))</c>; callbacks, history.json, the checkpoint and the
/// run log then carry it, and EarlyStopping can monitor it.
/// </summary>
public sealed record EpochMetric(string Name, Func<ClassificationReport, double> Compute)
{
    /// <summary>What Fit logs by default: accuracy and scikit-learn's macro precision, recall and F1.</summary>
    public static IReadOnlyList<EpochMetric> Standard { get; } = new EpochMetric[]
    {
        new("accuracy", r => r.Accuracy),
        new("precision", r => r.MacroAverage.Precision),
        new("recall", r => r.MacroAverage.Recall),
        new("f1", r => r.MacroAverage.F1),
    };
}
