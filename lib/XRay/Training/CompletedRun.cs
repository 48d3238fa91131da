using XRay.Data;

namespace XRay.Training;

/// <summary>
/// A model trained outside <see cref="Trainer.Fit"/> (a classic classifier on CNN features), recorded in the run log
/// in one go so it sits in the same comparison table as the CNN runs.
/// </summary>
public sealed record CompletedRun
{
    public string Name { get; init; } = "";
    public string Arch { get; init; } = "";
    public string ModelType { get; init; } = "";
    public Preprocessing Preprocessing { get; init; } = new();
    public IReadOnlyList<string> ClassNames { get; init; } = Array.Empty<string>();

    /// <summary>Shown in the optimizer column: the algorithm, e.g. LightGbm.</summary>
    public string Method { get; init; } = "";
    /// <summary>The learning rate the algorithm used; null where it has none or chose it itself.</summary>
    public double? LearningRate { get; init; }
    public long Seed { get; init; }
    public int TrainSamples { get; init; }
    public object? Hyperparameters { get; init; }
    public double Seconds { get; init; }
    public double? TrainAccuracy { get; init; }
    public double? ValAccuracy { get; init; }

    /// <summary>Log-loss (mean negative log-likelihood, scikit-learn's log_loss) on the training and validation images.</summary>
    public double? Loss { get; init; }
    public double? ValLoss { get; init; }
    public string? ModelPath { get; init; }
}
