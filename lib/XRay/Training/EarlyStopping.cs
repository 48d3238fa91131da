namespace XRay.Training;

/// <summary>
/// Keras' EarlyStopping with its defaults (monitor val_loss, min_delta 0, patience 0, mode auto, no baseline,
/// restore_best_weights false, start_from_epoch 0). Each epoch from start_from_epoch on: an improvement on the best
/// resets the wait (unless a baseline is set and not beaten); otherwise, once the wait reaches patience (and not in the
/// first epoch), training stops, restoring the best weights if asked. Seed 002 uses monitor val_accuracy, patience 5.
/// </summary>
public sealed class EarlyStopping : Callback, IDisposable
{
    private readonly Monitor monitor;
    private WeightsSnapshot? bestWeights;

    public EarlyStopping(string monitor = "val_loss", double minDelta = 0, int patience = 0, MonitorMode mode = MonitorMode.Auto,
        double? baseline = null, bool restoreBestWeights = false, int startFromEpoch = 0)
    {
        if (patience < 0) throw new ArgumentOutOfRangeException(nameof(patience), patience, "Patience must be >= 0.");
        this.monitor = new Monitor(monitor, mode, minDelta, nameof(EarlyStopping));
        (Patience, Baseline, RestoreBestWeights, StartFromEpoch) = (patience, baseline, restoreBestWeights, startFromEpoch);
    }

    public int Patience { get; }
    public double? Baseline { get; }
    public bool RestoreBestWeights { get; }
    public int StartFromEpoch { get; }

    /// <summary>Epochs without improvement so far.</summary>
    public int Wait { get; private set; }

    public double Best { get; private set; }

    /// <summary>0-based epoch of the best value.</summary>
    public int BestEpoch { get; private set; }

    /// <summary>0-based epoch at which training was stopped, or 0 if it was not.</summary>
    public int StoppedEpoch { get; private set; }

    public override void OnFitStart(TrainingContext context)
    {
        Wait = 0;
        StoppedEpoch = 0;
        Best = monitor.Worst;
        BestEpoch = 0;
        bestWeights?.Dispose();
        bestWeights = null;
    }

    public override void OnEpochEnd(TrainingContext context, int epoch, EpochRecord logs)
    {
        if (monitor.Read(logs) is not { } current || epoch < StartFromEpoch) return;
        if (RestoreBestWeights && bestWeights is null) bestWeights = new WeightsSnapshot(context.Model);
        Wait++;
        if (monitor.IsImprovement(current, Best))
        {
            Best = current;
            BestEpoch = epoch;
            if (RestoreBestWeights)
            {
                bestWeights?.Dispose();
                bestWeights = new WeightsSnapshot(context.Model);
            }
            if (Baseline is not { } baseline || monitor.IsImprovement(current, baseline)) Wait = 0;
            return;
        }
        if (Wait >= Patience && epoch > 0)
        {
            StoppedEpoch = epoch;
            context.Stop($"early stopping: {monitor.Metric} did not improve for {Wait} epochs (best {Best:G6} at epoch {BestEpoch + 1})");
            bestWeights?.RestoreInto(context.Model);
        }
    }

    public override void OnFitEnd(TrainingContext context) => Dispose();

    public override string StateKey => $"EarlyStopping[{monitor.StateKey}]";

    internal override string LegacyStateKey => $"EarlyStopping[{monitor.Metric}]";

    public override CallbackState StateDict() => new(
        new Dictionary<string, double> { ["wait"] = Wait, ["best"] = Best, ["best_epoch"] = BestEpoch, ["stopped_epoch"] = StoppedEpoch },
        bestWeights?.Tensors);

    public override void LoadStateDict(CallbackState state)
    {
        Wait = (int)state.Get("wait", StateKey);
        Best = state.Get("best", StateKey);
        BestEpoch = (int)state.Get("best_epoch", StateKey);
        StoppedEpoch = (int)state.Get("stopped_epoch", StateKey);
        bestWeights?.Dispose();
        bestWeights = RestoreBestWeights && state.Tensors is { Count: > 0 } tensors ? new WeightsSnapshot(tensors) : null;
    }

    public void Dispose()
    {
        bestWeights?.Dispose();
        bestWeights = null;
    }
}
