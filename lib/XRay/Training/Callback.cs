namespace XRay.Training;

/// <summary>
/// Hooks into <see cref="Trainer.Fit"/>: six symmetric ones, before/after the fit, each epoch and each batch. Epochs
/// are 0-based here, as in Keras' callbacks (and as the data source's GetBatches(epoch)).
/// </summary>
public abstract class Callback
{
    public virtual void OnFitStart(TrainingContext context) { }

    public virtual void OnFitEnd(TrainingContext context) { }

    public virtual void OnEpochStart(TrainingContext context, int epoch) { }

    /// <summary>After training and validation; <paramref name="logs"/> is already in the history.</summary>
    public virtual void OnEpochEnd(TrainingContext context, int epoch, EpochRecord logs) { }

    public virtual void OnBatchStart(TrainingContext context, int batch) { }

    public virtual void OnBatchEnd(TrainingContext context, int batch, BatchLogs logs) { }
}
