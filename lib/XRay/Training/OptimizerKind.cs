namespace XRay.Training;

/// <summary>The optimizers the seeds use (Adam, RMSprop in seed 003) and their usual alternatives.</summary>
public enum OptimizerKind
{
    Adam,
    AdamW,
    Sgd,
    RmsProp,
}
