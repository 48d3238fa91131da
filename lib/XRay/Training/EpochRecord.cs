namespace XRay.Training;

/// <summary>
/// One epoch's results: mean training loss and accuracy (Keras' running means over the epoch's samples), validation
/// loss and accuracy (null without a validation set), the learning rate used during the epoch and its duration.
/// </summary>
/// <param name="Epoch">1-based: the number of epochs completed when this was recorded.</param>
public sealed record EpochRecord(int Epoch, double Loss, double Accuracy, double? ValLoss, double? ValAccuracy,
    double LearningRate, double Seconds)
{
    /// <summary>A metric by its Keras name (loss, accuracy/acc, val_loss, val_accuracy/val_acc, lr), or null.</summary>
    public double? Get(string metric) => metric switch
    {
        "loss" => Loss,
        "accuracy" or "acc" => Accuracy,
        "val_loss" => ValLoss,
        "val_accuracy" or "val_acc" => ValAccuracy,
        "lr" or "learning_rate" => LearningRate,
        _ => null,
    };
}
