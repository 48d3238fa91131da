namespace XRay.Training.Experiments;

/// <summary>
/// One row of seed 003's "Comparison of Model Performances" table, as printed. Its "epoch" column reads as epochs and
/// its "batch" column as batch size (Keras' fit arguments); its loss and accuracy are on the training and test sets.
/// </summary>
public sealed record Seed003Row(string Model, int Pixels, int Epochs, int Batch, string Regularization, string Dropout,
    double LearningRate, string Augmentation, double TrainLoss, double TestLoss, double TrainAccuracy, double TestAccuracy)
{
    /// <summary>The ten rows, in the seed's order.</summary>
    public static IReadOnlyList<Seed003Row> Table { get; } = new Seed003Row[]
    {
        new("MLP", 150, 40, 100, "N", "N", 1e-4, "N", 0.2137, 0.1858, 0.9311, 0.9470),
        new("CNN", 150, 40, 100, "N", "N", 1e-4, "N", 0.0283, 0.1335, 0.9917, 0.9641),
        new("CNN", 150, 100, 100, "N", "N", 1e-4, "Y (20% data)", 0.2311, 0.7139, 0.8750, 0.7500),
        new("CNN", 150, 100, 100, "N", "N", 2e-5, "Y (20% data)", 0.2967, 0.7139, 0.8840, 0.7500),
        new("CNN", 210, 40, 100, "N", "Y (5%)", 2e-5, "N", 0.1282, 0.1137, 0.9558, 0.9641),
        new("CNN", 210, 100, 100, "early stopping", "N", 2e-5, "N", 0.0706, 0.0801, 0.9755, 0.9744),
        new("CNN", 210, 40, 100, "L1 (5e-7)", "N", 2e-5, "N", 0.1227, 0.0879, 0.9580, 0.9726),
        new("CNN", 210, 40, 100, "L2 (5e-7)", "N", 2e-5, "N", 0.0925, 0.0780, 0.9661, 0.9726),
        new("VGG19", 150, 100, 5, "N", "N", 1e-4, "N", 0.0057, 0.6018, 0.9991, 0.9429),
        new("VGG19", 150, 100, 25, "N", "N", 2e-5, "Y (20% data)", 0.0479, 0.2306, 0.9940, 0.9200),
    };

    /// <summary>The row as the seed prints it, e.g. "CNN 210 px, 40 ep, batch 100, L2 (5e-7), lr 2e-05".</summary>
    public string Describe()
    {
        var parts = new List<string> { FormattableString.Invariant($"{Model} {Pixels} px, {Epochs} ep, batch {Batch}") };
        if (Regularization != "N") parts.Add(Regularization);
        if (Dropout != "N") parts.Add("dropout " + Dropout);
        parts.Add(FormattableString.Invariant($"lr {LearningRate:0e0}"));
        if (Augmentation != "N") parts.Add("augmented " + Augmentation);
        return string.Join(", ", parts);
    }
}
