using XRay.Imaging;
using static TorchSharp.torch;

namespace XRay.Data;

/// <summary>How a <see cref="DataLoader"/> serves batches. Defaults follow Keras' flow_from_directory where it has one.</summary>
public sealed record DataLoaderOptions
{
    /// <summary>Images per batch (Keras' default 32).</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Reshuffle every epoch, seeded by (Seed, epoch). Off for evaluation.</summary>
    public bool Shuffle { get; init; } = true;

    public long Seed { get; init; }

    /// <summary>Where batches are put; null is the CPU.</summary>
    public Device? Device { get; init; }

    /// <summary>Decode once and keep uint8 pixels (in memory, and on disk by default).</summary>
    public CacheMode Cache { get; init; } = CacheMode.MemoryAndDisk;

    /// <summary>Where the disk cache lives; null is <see cref="PreprocessedCache.DefaultDirectory"/>.</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>On-the-fly augmentation of each 8-bit image after resizing (e.g. <c>KerasAugmentation</c>); it must keep the size.</summary>
    public IImageTransform? Transform { get; init; }

    /// <summary>Draw each epoch with every class equally likely (with replacement) instead of each image once.</summary>
    public bool Balanced { get; init; }

    /// <summary>Threads decoding and augmenting; defaults to one per core.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>Batches prepared ahead of the consumer (the bounded prefetch queue); null is one per worker, at least 2.</summary>
    public int? Prefetch { get; init; }

    /// <summary>Leave out a last, smaller batch.</summary>
    public bool DropLast { get; init; }

    public Interpolation Interpolation { get; init; } = Interpolation.Auto;

    /// <summary>Images with more pixels than this are refused before decoding.</summary>
    public long MaxPixels { get; init; } = Cv.DefaultMaxPixels;

    /// <summary>Reports images decoded while the cache is built.</summary>
    public IProgress<int>? CacheProgress { get; init; }
}
