using System.Text.Json.Serialization;
using static TorchSharp.torch;

namespace XRay.Training;

/// <summary>The knobs of one <see cref="Trainer.Fit"/>. Defaults follow Keras where the seeds rely on them.</summary>
public sealed record TrainingOptions
{
    /// <summary>Epochs to train (seed 001: 15, seed 002: 20, seed 003: 40-100).</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>
    /// Batch size, for building the loaders (the CLI does). The <see cref="Data.IBatchSource"/> does the batching, so
    /// what Fit records (run log, checkpoint) is the training source's own batch size where it has one, whatever this says.
    /// </summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Optimizer (seeds 001/002: Adam; seed 003: RMSprop).</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    /// <summary>Initial learning rate (Keras' Adam default 1e-3; seed 001: 1e-4; seed 003: 1e-4 / 2e-5).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Momentum for SGD and RMSprop (0 = none).</summary>
    public double Momentum { get; init; }

    /// <summary>The optimizer's weight decay: decoupled for AdamW, an L2 term in the gradient for the others.</summary>
    public double WeightDecay { get; init; }

    /// <summary>Keras-style L1 penalty l1·Σ|w| on every trainable kernel, added to the loss (seed 003 tries 5e-7).</summary>
    public double L1 { get; init; }

    /// <summary>Keras-style L2 penalty l2·Σw² on every trainable kernel, added to the loss (seed 003 tries 5e-7).</summary>
    public double L2 { get; init; }

    /// <summary>Keras' class_weight, indexed by label: each training sample's loss is scaled by its class's weight.</summary>
    public double[]? ClassWeights { get; init; }

    /// <summary>Where to train; null means CUDA when available, else the CPU.</summary>
    public Device? Device { get; init; }

    /// <summary>Seeds libtorch's generator for each epoch's dropout (as seed + epoch), so runs and resumes repeat.</summary>
    public long Seed { get; init; } = 42;

    /// <summary>
    /// Lay out images and convolution weights channels-last (NHWC); null chooses (see Runtime.ChannelsLast.DefaultFor:
    /// on for the CPU, where it was measured faster; off on a GPU, where NCHW was).
    /// </summary>
    public bool? ChannelsLast { get; init; }

    /// <summary>
    /// The training steps' arithmetic (default Auto: bf16 for a 1-channel network on a CPU with bf16 instructions, fp32
    /// elsewhere; see <see cref="MixedPrecision.Resolve"/>). Bf16 and Fp16 run libtorch's autocast; weights, checkpoints and
    /// validation stay fp32.
    /// </summary>
    public TrainingPrecision Precision { get; init; } = TrainingPrecision.Auto;

    /// <summary>
    /// Folder for checkpoint.pt (the last epoch), history.json and the run log runs.sqlite; null writes nothing.
    /// </summary>
    public string? OutputDirectory { get; init; }

    /// <summary>A checkpoint to continue from: its weights, optimizer state, history and epoch.</summary>
    public string? ResumeFrom { get; init; }

    /// <summary>
    /// The metrics logged each epoch after the loss, from the epoch's confusion matrix, each also as val_name with
    /// validation data (default <see cref="EpochMetric.Standard"/>). Not recorded: code, not a setting.
    /// </summary>
    [JsonIgnore]
    public IReadOnlyList<EpochMetric> Metrics { get; init; } = EpochMetric.Standard;

    /// <summary>A label for the run log (e.g. "CNN 210px L2").</summary>
    public string? RunName { get; init; }

    /// <summary>What checkpoints and the run log keep: the options without the resume path and device handle.</summary>
    internal TrainingOptions ForRecord() => this with { ResumeFrom = null, Device = null };
}
