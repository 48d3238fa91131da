using System.Globalization;
using System.Text.RegularExpressions;

namespace XRay.Training;

/// <summary>
/// Keras' ModelCheckpoint (monitor val_loss, save_best_only false, mode auto, every epoch). The path may hold Keras'
/// placeholders, e.g. "ckpt-{epoch:02d}-{val_accuracy:.4f}.pt" (epoch 1-based, as Keras). Each save is a complete
/// <see cref="Checkpoint"/> (weights, optimizer, history, classes, preprocessing), written atomically. Seed 002 saves
/// the best by val_accuracy.
/// </summary>
public sealed partial class ModelCheckpoint : Callback
{
    private readonly Monitor monitor;

    public ModelCheckpoint(string path, string monitor = "val_loss", bool saveBestOnly = false, MonitorMode mode = MonitorMode.Auto)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
        SaveBestOnly = saveBestOnly;
        this.monitor = new Monitor(monitor, mode, 0, nameof(ModelCheckpoint));
        Best = this.monitor.Worst;
    }

    public string Path { get; }
    public bool SaveBestOnly { get; }
    public double Best { get; private set; }

    /// <summary>The files written, in order.</summary>
    public List<string> Saved { get; } = new();

    public override void OnFitStart(TrainingContext context) => Best = monitor.Worst;

    public override string StateKey => $"ModelCheckpoint[{monitor.StateKey}:{System.IO.Path.GetFileName(Path)}]";

    internal override string LegacyStateKey => $"ModelCheckpoint[{monitor.Metric}:{System.IO.Path.GetFileName(Path)}]";

    public override CallbackState StateDict() => new(new Dictionary<string, double> { ["best"] = Best });

    public override void LoadStateDict(CallbackState state) => Best = state.Get("best", StateKey);

    public override void OnEpochEnd(TrainingContext context, int epoch, EpochRecord logs)
    {
        if (SaveBestOnly)
        {
            if (monitor.Read(logs) is not { } current || !monitor.IsImprovement(current, Best)) return;
            Best = current;
        }
        if (!double.IsFinite(logs.Loss)) return; // never overwrite a good checkpoint with diverged weights
        var file = Format(Path, logs);
        context.SaveCheckpoint(file);
        Saved.Add(file);
    }

    /// <summary>Fills {epoch}, {epoch:02d}, {val_loss:.2f} ... the way Python's str.format would.</summary>
    internal static string Format(string template, EpochRecord logs) =>
        Placeholder().Replace(template, m =>
        {
            var name = m.Groups[1].Value;
            var spec = m.Groups[2].Success ? m.Groups[2].Value : "";
            if (name == "epoch") return logs.Epoch.ToString(spec.EndsWith('d') ? "D" + spec.TrimEnd('d').TrimStart('0') : "", CultureInfo.InvariantCulture);
            if (logs.Get(name) is not { } value) throw new KeyError($"The checkpoint path uses {{{name}}}, which this epoch's logs do not have.");
            return spec.StartsWith('.') && spec.EndsWith('f')
                ? value.ToString("F" + spec[1..^1], CultureInfo.InvariantCulture)
                : value.ToString(CultureInfo.InvariantCulture);
        });

    [GeneratedRegex(@"\{(\w+)(?::([^}]*))?\}")]
    private static partial Regex Placeholder();

    private sealed class KeyError(string message) : ArgumentException(message);
}
