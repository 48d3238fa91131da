namespace XRay.Training;

/// <summary>
/// Keras' LearningRateScheduler: before each epoch the rate becomes schedule(epoch, rate), epoch 0-based and absolute
/// (so a resumed run schedules as an uninterrupted one).
/// </summary>
public sealed class LearningRateScheduler(Func<int, double, double> schedule) : Callback
{
    /// <summary>
    /// Seed 002's schedule: <c>if epoch % 10 == 0: lr = lr / 2</c>. As in Keras, this also halves at epoch 0, so the
    /// first epoch already runs at half the initial rate.
    /// </summary>
    public static LearningRateScheduler HalveEvery(int epochs = 10) =>
        new((epoch, lr) => epoch % epochs == 0 ? lr / 2 : lr);

    public override void OnEpochStart(TrainingContext context, int epoch)
    {
        var rate = schedule(epoch, context.LearningRate);
        if (!double.IsFinite(rate) || rate < 0)
            throw new InvalidOperationException($"The learning-rate schedule returned {rate} at epoch {epoch}; it must be a finite number >= 0.");
        context.LearningRate = rate;
    }
}
