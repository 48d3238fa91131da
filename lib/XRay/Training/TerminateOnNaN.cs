namespace XRay.Training;

/// <summary>
/// Keras' TerminateOnNaN: stops training at the first batch whose loss is NaN or infinite. The trainer then keeps the
/// last good checkpoint. Reading the loss syncs with the device once per batch (free on the CPU).
/// </summary>
public sealed class TerminateOnNaN : Callback
{
    /// <summary>0-based batch and epoch where it stopped, if it did.</summary>
    public (int Epoch, int Batch)? StoppedAt { get; private set; }

    private int epoch;

    public override void OnEpochStart(TrainingContext context, int epoch) => this.epoch = epoch;

    public override void OnBatchEnd(TrainingContext context, int batch, BatchLogs logs)
    {
        var loss = logs.Loss;
        if (double.IsFinite(loss)) return;
        StoppedAt = (epoch, batch);
        context.Stop($"invalid loss {loss} at epoch {epoch + 1}, batch {batch + 1}; terminating training");
    }

    /// <summary>The same check on an epoch's record, for scripted use and for losses that arrive per epoch.</summary>
    public override void OnEpochEnd(TrainingContext context, int epoch, EpochRecord logs)
    {
        if (double.IsFinite(logs.Loss) || context.StopTraining) return;
        StoppedAt = (epoch, -1);
        context.Stop($"invalid loss {logs.Loss} at epoch {epoch + 1}; terminating training");
    }
}
