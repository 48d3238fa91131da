using XRay.Metrics;

namespace XRay.Classic;

/// <summary>What <see cref="ClassicTrainer.Fit"/> returns: the model, its accuracy on its own training features, and its validation evaluation.</summary>
public sealed record ClassicRun(ClassicModel Model, double TrainAccuracy, Evaluation? Validation, double Seconds, long? RunId);
