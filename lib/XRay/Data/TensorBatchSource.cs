using XRay.Runtime;
using static TorchSharp.torch;

namespace XRay.Data;

/// <summary>
/// Batches over tensors already in memory (like PyTorch's TensorDataset + DataLoader): for tests, notebooks and
/// small experiments. Shuffling is seeded by (seed, epoch).
/// </summary>
public sealed class TensorBatchSource : IBatchSource, IDisposable
{
    private readonly Tensor images;
    private readonly Tensor labels;
    private readonly int batchSize;
    private readonly bool shuffle;
    private readonly long seed;

    /// <param name="images">(N, C, H, W) float32.</param>
    /// <param name="labels">(N) int64.</param>
    public TensorBatchSource(Tensor images, Tensor labels, IReadOnlyList<string> classNames, int batchSize, bool shuffle = true,
        long seed = 0, Preprocessing? preprocessing = null)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "Batch size must be positive.");
        if (images.ndim != 4) throw new ArgumentException($"Images must be (N, C, H, W), got [{string.Join(", ", images.shape)}].", nameof(images));
        if (labels.ndim != 1 || labels.shape[0] != images.shape[0])
            throw new ArgumentException($"{images.shape[0]} images need {images.shape[0]} labels, got [{string.Join(", ", labels.shape)}].", nameof(labels));
        this.images = images.alias().DetachFromDisposeScope();
        this.labels = labels.alias().DetachFromDisposeScope();
        ClassNames = classNames;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
        SampleCount = checked((int)images.shape[0]);
        var shape = images.shape;
        Preprocessing = preprocessing ?? new Preprocessing(checked((int)shape[2]), checked((int)shape[3]),
            shape[1] == 1 ? ColorMode.Grayscale : ColorMode.Rgb);
    }

    public IReadOnlyList<string> ClassNames { get; }

    public int SampleCount { get; }

    public int BatchCount => (SampleCount + batchSize - 1) / batchSize;

    public int? BatchSize => batchSize;

    public Preprocessing Preprocessing { get; }

    public IEnumerable<Batch> GetBatches(int epoch)
    {
        var order = Enumerable.Range(0, SampleCount).Select(i => (long)i).ToArray();
        if (shuffle) Seed.Random(seed, epoch).Shuffle(order);
        for (var start = 0; start < SampleCount; start += batchSize)
        {
            var count = Math.Min(batchSize, SampleCount - start);
            using var index = ((ReadOnlySpan<long>)order.AsSpan(start, count)).ToTensor(count);
            yield return new Batch(
                images.index_select(0, index).DetachFromDisposeScope(),
                labels.index_select(0, index).DetachFromDisposeScope());
        }
    }

    public void Dispose()
    {
        images.Dispose();
        labels.Dispose();
    }
}
