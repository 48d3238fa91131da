namespace XRay.Training.Experiments;

/// <summary>
/// One row trained with one seed. Loss and accuracy are of the model the run ends with (early stopping restores its best
/// weights), measured after training on the validation images; <see cref="BestValAccuracy"/> is the best epoch's.
/// </summary>
public sealed record SeedResult(long Seed, int EpochsRun, double TrainLoss, double TrainAccuracy, double ValLoss, double ValAccuracy,
    double BestValAccuracy, double Seconds);
