namespace XRay.Training;

/// <summary>
/// One epoch's results: mean training loss and accuracy (Keras' running means over the epoch's samples), validation
/// loss and accuracy (null without a validation set), the learning rate used during the epoch and its duration; and
/// the macro-averaged precision, recall and F1 of the epoch's predictions (scikit-learn's average='macro', from a
/// confusion matrix accumulated on the device), for training and validation.
/// </summary>
/// <param name="Epoch">1-based: the number of epochs completed when this was recorded.</param>
public sealed record EpochRecord(int Epoch, double Loss, double Accuracy, double? ValLoss, double? ValAccuracy,
    double LearningRate, double Seconds)
{
    /// <summary>Every metric name <see cref="Get"/> knows, in the order logs and tables show them.</summary>
    public static IReadOnlyList<string> MetricNames { get; } = new[]
    {
        "loss", "accuracy", "precision", "recall", "f1", "val_loss", "val_accuracy", "val_precision", "val_recall", "val_f1", "lr",
    };

    /// <summary>Macro precision of the training epoch's predictions (null in records from before these metrics existed).</summary>
    public double? Precision { get; init; }

    public double? Recall { get; init; }

    public double? F1 { get; init; }

    public double? ValPrecision { get; init; }

    public double? ValRecall { get; init; }

    public double? ValF1 { get; init; }

    /// <summary>A metric by its Keras name (loss, accuracy/acc, precision, recall, f1, their val_ twins, lr), or null.</summary>
    public double? Get(string metric) => metric switch
    {
        "loss" => Loss,
        "accuracy" or "acc" => Accuracy,
        "precision" => Precision,
        "recall" => Recall,
        "f1" or "f1_score" => F1,
        "val_loss" => ValLoss,
        "val_accuracy" or "val_acc" => ValAccuracy,
        "val_precision" => ValPrecision,
        "val_recall" => ValRecall,
        "val_f1" or "val_f1_score" => ValF1,
        "lr" or "learning_rate" => LearningRate,
        _ => null,
    };

    /// <summary>Whether <paramref name="metric"/> is a name <see cref="Get"/> knows.</summary>
    public static bool IsKnown(string metric) =>
        MetricNames.Contains(metric) || metric is "acc" or "val_acc" or "f1_score" or "val_f1_score" or "learning_rate";
}
