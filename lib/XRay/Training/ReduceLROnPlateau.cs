namespace XRay.Training;

/// <summary>
/// Keras' ReduceLROnPlateau with its defaults (monitor val_loss, factor 0.1, patience 10, mode auto, min_delta 1e-4,
/// cooldown 0, min_lr 0). Seed 001: factor 0.1, patience 6, min_delta 5e-3, min_lr 5e-9 (see <see cref="Seed001"/>).
/// After patience epochs without an improvement beyond min_delta the rate is multiplied by factor (never below
/// min_lr), then cooldown epochs pass before the wait counts again.
/// </summary>
public sealed class ReduceLROnPlateau : Callback
{
    private readonly Monitor monitor;

    public ReduceLROnPlateau(string monitor = "val_loss", double factor = 0.1, int patience = 10, MonitorMode mode = MonitorMode.Auto,
        double minDelta = 1e-4, int cooldown = 0, double minLr = 0)
    {
        if (factor >= 1.0 || factor <= 0) throw new ArgumentOutOfRangeException(nameof(factor), factor, "ReduceLROnPlateau's factor must be in (0, 1).");
        this.monitor = new Monitor(monitor, mode, minDelta, nameof(ReduceLROnPlateau));
        (Factor, Patience, Cooldown, MinLr) = (factor, patience, cooldown, minLr);
        Reset();
    }

    /// <summary>Seed 001's settings.</summary>
    public static ReduceLROnPlateau Seed001(string monitor = "val_loss") =>
        new(monitor, factor: 0.1, patience: 6, minDelta: 5e-3, minLr: 5e-9);

    public double Factor { get; }
    public int Patience { get; }
    public int Cooldown { get; }
    public double MinLr { get; }
    public int Wait { get; private set; }
    public int CooldownCounter { get; private set; }
    public double Best { get; private set; }

    private void Reset()
    {
        Best = monitor.Worst;
        Wait = 0;
        CooldownCounter = 0;
    }

    public override void OnFitStart(TrainingContext context) => Reset();

    public override string StateKey => $"ReduceLROnPlateau[{monitor.StateKey}]";

    internal override string LegacyStateKey => $"ReduceLROnPlateau[{monitor.Metric}]";

    public override CallbackState StateDict() =>
        new(new Dictionary<string, double> { ["best"] = Best, ["wait"] = Wait, ["cooldown_counter"] = CooldownCounter });

    public override void LoadStateDict(CallbackState state)
    {
        Best = state.Get("best", StateKey);
        Wait = (int)state.Get("wait", StateKey);
        CooldownCounter = (int)state.Get("cooldown_counter", StateKey);
    }

    public override void OnEpochEnd(TrainingContext context, int epoch, EpochRecord logs)
    {
        if (monitor.Read(logs) is not { } current) return;
        if (CooldownCounter > 0)
        {
            CooldownCounter--;
            Wait = 0;
        }
        if (monitor.IsImprovement(current, Best))
        {
            Best = current;
            Wait = 0;
        }
        else if (CooldownCounter <= 0)
        {
            Wait++;
            if (Wait >= Patience)
            {
                var old = context.LearningRate;
                // Keras compares with float32(min_lr): a rate already at the floor stays there.
                if (old > (float)MinLr)
                {
                    context.LearningRate = Math.Max(old * Factor, MinLr);
                    CooldownCounter = Cooldown;
                    Wait = 0;
                }
            }
        }
    }
}
