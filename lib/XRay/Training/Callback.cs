namespace XRay.Training;

/// <summary>
/// Hooks into <see cref="Trainer.Fit"/>: six symmetric ones, before/after the fit, each epoch and each batch, and
/// Lightning's on_exception for a fit that fails. Epochs are 0-based here, as in Keras' callbacks (and as the data
/// source's GetBatches(epoch)). Fit is the orchestrator: what it writes to an output folder (checkpoint.pt,
/// history.json, runs.sqlite) is done by callbacks too (<see cref="CheckpointWriter"/>, <see cref="HistoryLogger"/>,
/// <see cref="RunLogger"/>).
/// </summary>
public abstract class Callback
{
    /// <summary>
    /// The name this callback's state has in a checkpoint. Callbacks of one type that watch different metrics get
    /// different keys, so both resume (Lightning's state_key).
    /// </summary>
    public virtual string StateKey => GetType().Name;

    /// <summary>The key an older version of this library stored the state under, so its checkpoints still resume.</summary>
    internal virtual string? LegacyStateKey => null;

    /// <summary>What must survive a resume for the run to continue as if never interrupted; null for a stateless callback.</summary>
    public virtual CallbackState? StateDict() => null;

    /// <summary>Restores <see cref="StateDict"/>'s output on resume, after <see cref="OnFitStart"/>.</summary>
    public virtual void LoadStateDict(CallbackState state) { }

    public virtual void OnFitStart(TrainingContext context) { }

    /// <summary>After the last epoch, or after a callback stopped training; not after an exception.</summary>
    public virtual void OnFitEnd(TrainingContext context) { }

    /// <summary>
    /// When the fit fails (Lightning's on_exception), before the exception leaves Fit: instead of
    /// <see cref="OnFitEnd"/>, to record the failure and release what <see cref="OnFitStart"/> took.
    /// </summary>
    public virtual void OnException(TrainingContext context, Exception exception) { }

    public virtual void OnEpochStart(TrainingContext context, int epoch) { }

    /// <summary>After training and validation; <paramref name="logs"/> is already in the history.</summary>
    public virtual void OnEpochEnd(TrainingContext context, int epoch, EpochRecord logs) { }

    public virtual void OnBatchStart(TrainingContext context, int batch) { }

    public virtual void OnBatchEnd(TrainingContext context, int batch, BatchLogs logs) { }
}
