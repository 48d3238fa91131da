namespace XRay.Training;

/// <summary>One row of the run log: what a comparison table shows (seed 003's MODEL / pixel / epoch / batch / ... / accuracy).</summary>
public sealed record RunRecord(long Id, string? Name, string? Arch, string InputShape, string Optimizer, double? LearningRate,
    int? BatchSize, int? EpochsPlanned, long Seed, string Device, string Status, int? EpochsCompleted, double? FinalLoss,
    double? FinalAccuracy, double? FinalValLoss, double? FinalValAccuracy, double? BestValAccuracy, double? DurationSeconds,
    string? CheckpointPath, DateTime StartedUtc, string HyperparametersJson);
