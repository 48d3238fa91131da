using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace XRay.Training;

/// <summary>
/// Keras' progress bar (verbose=1): "Epoch 1/15", then a bar redrawn as batches finish, then the epoch's line:
/// <c>177/177 [==============================] - 119s 651ms/step - loss: 0.5713 - accuracy: 0.7591 - val_loss: 0.6968 - val_accuracy: 0.7468 - lr: 1.0000e-04</c>.
/// Redraws are throttled (reading the running loss syncs with the device), so the bar costs nothing measurable.
/// Without a sink it writes to the console, or, in a notebook cell, to one output updated in place.
/// </summary>
public sealed class ProgressReporter(IProgressSink? sink = null, TimeSpan? interval = null) : Callback
{
    private const int BarWidth = 30;
    private readonly IProgressSink sink = sink ?? (LiveDisplay.InNotebook ? new NotebookProgressSink() : new ConsoleProgressSink());
    private readonly TimeSpan interval = interval ?? TimeSpan.FromMilliseconds(250);
    private readonly Stopwatch epochClock = new();
    private TimeSpan lastDraw;
    private int epochs;

    public override void OnFitStart(TrainingContext context) => epochs = context.Options.Epochs;

    public override void OnEpochStart(TrainingContext context, int epoch)
    {
        sink.Write($"Epoch {epoch + 1}/{epochs}", final: true);
        epochClock.Restart();
        lastDraw = TimeSpan.Zero;
    }

    public override void OnBatchEnd(TrainingContext context, int batch, BatchLogs logs)
    {
        var done = batch + 1;
        if (done == logs.BatchCount || epochClock.Elapsed - lastDraw < interval) return; // the epoch end draws the last one
        lastDraw = epochClock.Elapsed;
        var (loss, accuracy) = logs.RunningMeans();
        var macro = logs.RunningMacro();
        var perStep = epochClock.Elapsed.TotalSeconds / done;
        var eta = perStep * (logs.BatchCount - done);
        sink.Write($"{Bar(done, logs.BatchCount)} - ETA: {Eta(eta)}{Metric("loss", loss)}{Metric("accuracy", accuracy)}" +
                   $"{Metric("precision", macro.Precision)}{Metric("recall", macro.Recall)}{Metric("f1", macro.F1)}", final: false);
    }

    public override void OnEpochEnd(TrainingContext context, int epoch, EpochRecord logs) =>
        sink.Write(FormatEpochLine(logs, Math.Max(context.BatchCount, 1)), final: true);

    /// <summary>The line Keras prints at the end of an epoch.</summary>
    public static string FormatEpochLine(EpochRecord logs, int steps)
    {
        var sb = new StringBuilder(Bar(steps, steps));
        sb.Append(" - ").Append(Math.Round(logs.Seconds, MidpointRounding.ToEven).ToString("0", CultureInfo.InvariantCulture)).Append('s');
        sb.Append(' ').Append(PerStep(logs.Seconds / steps));
        foreach (var (name, value) in logs.Logs) sb.Append(Metric(name, value));
        return sb.ToString();
    }

    /// <summary>"12/177 [=>............................]": as Keras, the arrow head marks a bar in progress.</summary>
    internal static string Bar(int done, int total)
    {
        var width = total.ToString(CultureInfo.InvariantCulture).Length;
        var filled = (int)(BarWidth * (double)done / total);
        var bar = new StringBuilder();
        if (filled > 0)
        {
            bar.Append('=', filled - 1);
            bar.Append(done < total ? '>' : '=');
        }
        bar.Append('.', BarWidth - filled);
        return $"{done.ToString(CultureInfo.InvariantCulture).PadLeft(width)}/{total} [{bar}]";
    }

    // Keras: 4 decimals when |v| > 1e-3, else scientific with 4 decimals (so lr 1e-4 prints 1.0000e-04).
    internal static string Metric(string name, double value) =>
        $" - {name}: " + (Math.Abs(value) > 1e-3
            ? value.ToString("F4", CultureInfo.InvariantCulture)
            : value.ToString("0.0000e+00", CultureInfo.InvariantCulture));

    private static string PerStep(double seconds) =>
        seconds >= 1 || seconds == 0 ? FormattableString.Invariant($"{seconds:0}s/step")
        : seconds >= 1e-3 ? FormattableString.Invariant($"{seconds * 1e3:0}ms/step")
        : FormattableString.Invariant($"{seconds * 1e6:0}us/step");

    private static string Eta(double seconds) =>
        seconds > 3600 ? $"{(int)seconds / 3600}:{(int)seconds % 3600 / 60:00}:{(int)seconds % 60:00}"
        : seconds > 60 ? $"{(int)seconds / 60}:{(int)seconds % 60:00}"
        : $"{(int)seconds}s";
}
