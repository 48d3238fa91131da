using System.Diagnostics;
using XRay.Data;
using static TorchSharp.torch;

namespace XRay.Training;

/// <summary>The state callbacks see and steer: the model, its optimizer, the history, and StopTraining.</summary>
public sealed class TrainingContext
{
    public TrainingContext(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, TrainingOptions options,
        IReadOnlyList<string> classNames, Preprocessing preprocessing, History? history = null, int batchCount = 0)
    {
        Model = model;
        Optimizer = optimizer;
        Options = options;
        ClassNames = classNames;
        Preprocessing = preprocessing;
        History = history ?? new History();
        BatchCount = batchCount;
    }

    public nn.Module<Tensor, Tensor> Model { get; }

    public optim.Optimizer Optimizer { get; }

    public TrainingOptions Options { get; }

    public IReadOnlyList<string> ClassNames { get; }

    public Preprocessing Preprocessing { get; }

    public History History { get; }

    /// <summary>Every callback of the fit (the trainer's own included), whose states checkpoints carry.</summary>
    public IReadOnlyList<Callback> Callbacks { get; internal set; } = Array.Empty<Callback>();

    /// <summary>The precision the forward pass runs in, as resolved for the device (fp32 when built outside Fit).</summary>
    public MixedPrecision Precision { get; internal init; } = MixedPrecision.Fp32("fp32 as asked");

    /// <summary>fp16's loss scaler; null in fp32 and bf16, whose range needs none.</summary>
    public GradScaler? Scaler { get; internal init; }

    /// <summary>Training batches per epoch.</summary>
    public int BatchCount { get; }

    /// <summary>Training samples per epoch (0 when built outside Fit).</summary>
    public int SampleCount { get; internal init; }

    /// <summary>Where the model trains (the CPU when built outside Fit).</summary>
    public Device Device { get; internal init; } = CPU;

    /// <summary>Time since the fit began (since this context was made).</summary>
    public TimeSpan Elapsed => clock.Elapsed;

    private readonly Stopwatch clock = Stopwatch.StartNew();

    /// <summary>Set by a callback (early stopping, NaN) to end training after the current batch or epoch.</summary>
    public bool StopTraining { get; set; }

    /// <summary>Why training stopped early, for the log.</summary>
    public string? StopReason { get; set; }

    /// <summary>The optimizer's learning rate.</summary>
    public double LearningRate
    {
        get => Optimizer.LearningRate;
        set => Optimizer.LearningRate = value;
    }

    /// <summary>Epochs completed (the history's length).</summary>
    public int CompletedEpochs => History.Epochs.Count;

    /// <summary>Writes a checkpoint of the current state (atomically).</summary>
    public void SaveCheckpoint(string path) => Checkpoint.Save(path, this);

    /// <summary>Stops training, keeping the first reason given.</summary>
    public void Stop(string reason)
    {
        StopTraining = true;
        StopReason ??= reason;
    }
}
