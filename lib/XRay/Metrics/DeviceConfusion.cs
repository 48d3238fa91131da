using XRay.Runtime;
using static TorchSharp.torch;

namespace XRay.Metrics;

/// <summary>
/// A confusion matrix accumulated on the training device, batch by batch, with no host sync (index_add_ of ones at
/// true * K + predicted); read once at the end of an epoch. Accuracy, precision, recall and F1 then come from
/// <see cref="ClassificationReport"/>, so they equal scikit-learn's on the same predictions.
/// </summary>
public sealed class DeviceConfusion : IDisposable
{
    private readonly Tensor counts; // (K * K) int64, row-major (true, predicted)

    public DeviceConfusion(int classes, Device device)
    {
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, "A confusion matrix needs at least 2 classes.");
        Classes = classes;
        counts = zeros(new long[] { (long)classes * classes }, ScalarType.Int64, device);
    }

    public int Classes { get; }

    /// <summary>Adds a batch: <paramref name="labels"/> and <paramref name="predicted"/> are (B) int64 class indices.</summary>
    public void Add(Tensor labels, Tensor predicted)
    {
        using var scope = NewDisposeScope();
        var index = labels.to(ScalarType.Int64) * Classes + predicted.to(ScalarType.Int64);
        counts.index_add_(0, index, ones_like(index), 1);
    }

    /// <summary>Correct predictions so far, as a scalar on the device (no sync).</summary>
    public Tensor Correct()
    {
        using var square = counts.view(Classes, Classes);
        using var diagonal = square.diagonal();
        return diagonal.sum();
    }

    /// <summary>The counts on the host (one sync).</summary>
    public ConfusionMatrix ToMatrix()
    {
        var flat = counts.ToArray<long>();
        var matrix = new long[Classes, Classes];
        for (var i = 0; i < flat.Length; i++) matrix[i / Classes, i % Classes] = flat[i];
        return new ConfusionMatrix(matrix);
    }

    public void Dispose() => counts.Dispose();
}
