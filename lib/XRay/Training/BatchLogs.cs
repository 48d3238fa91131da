using XRay.Metrics;
using static TorchSharp.torch;

namespace XRay.Training;

/// <summary>
/// What a batch-end hook can read. The values live on the training device; reading one waits for the device
/// (a host sync), so callbacks read them only when they need them (the progress line does, throttled).
/// </summary>
public sealed class BatchLogs
{
    private readonly Tensor batchLoss;
    private readonly Tensor lossSum;
    private readonly DeviceConfusion confusion;

    internal BatchLogs(int batchCount, int samplesSoFar, int batchSize, Tensor batchLoss, Tensor lossSum, DeviceConfusion confusion)
    {
        (BatchCount, SamplesSoFar, BatchSize) = (batchCount, samplesSoFar, batchSize);
        (this.batchLoss, this.lossSum, this.confusion) = (batchLoss, lossSum, confusion);
    }

    /// <summary>Batches in this epoch.</summary>
    public int BatchCount { get; }

    /// <summary>Samples seen so far this epoch, this batch included.</summary>
    public int SamplesSoFar { get; }

    public int BatchSize { get; }

    /// <summary>This batch's loss (penalties included). Syncs with the device.</summary>
    public double Loss => batchLoss.to(ScalarType.Float64).item<double>();

    /// <summary>The epoch's mean loss and accuracy so far, as Keras' progress bar shows them. Syncs with the device.</summary>
    public (double Loss, double Accuracy) RunningMeans()
    {
        using var correct = confusion.Correct();
        return (lossSum.item<double>() / SamplesSoFar, correct.item<long>() / (double)SamplesSoFar);
    }

    /// <summary>The epoch's macro precision, recall and F1 so far (scikit-learn's). Syncs with the device.</summary>
    public ClassMetrics RunningMacro() => new ClassificationReport(confusion.ToMatrix()).MacroAverage;
}
