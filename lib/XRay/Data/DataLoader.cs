using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using TorchSharp;
using XRay.Imaging;
using XRay.Runtime;
using static TorchSharp.torch;

namespace XRay.Data;

/// <summary>
/// Batches of (images, labels) from image files, for training and evaluation. Files are decoded and resized once
/// into a uint8 cache (unless <see cref="CacheMode.None"/>); each epoch then only gathers bytes, augments them if asked,
/// and converts to float on the target device. Up to <see cref="DataLoaderOptions.Prefetch"/> batches are prepared
/// by worker threads while the consumer trains on the current one.
/// </summary>
public sealed class DataLoader : IBatchSource
{
    private readonly IReadOnlyList<ImageSample> samples;
    private readonly DataLoaderOptions options;
    private readonly PreprocessedCache? cache;
    private readonly ConcurrentDictionary<int, string> failures = new();
    private readonly List<SkippedFile> skippedBefore;

    public DataLoader(IReadOnlyList<ImageSample> samples, IReadOnlyList<string> classNames, Preprocessing preprocessing,
        DataLoaderOptions? options = null, IReadOnlyList<SkippedFile>? skipped = null)
    {
        this.options = options ?? new DataLoaderOptions();
        if (this.options.BatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(options), this.options.BatchSize, "Batch size must be positive.");
        if (preprocessing.Height <= 0 || preprocessing.Width <= 0)
            throw new ArgumentException($"Image size must be positive, got {preprocessing.Width}x{preprocessing.Height}.", nameof(preprocessing));
        foreach (var s in samples)
            if ((uint)s.Label >= (uint)classNames.Count)
                throw new ArgumentException($"{s.Path} has label {s.Label} but there are {classNames.Count} classes.", nameof(samples));
        this.samples = samples;
        ClassNames = classNames;
        Preprocessing = preprocessing;
        skippedBefore = skipped?.ToList() ?? new List<SkippedFile>();
        if (this.options.Cache != CacheMode.None)
        {
            var dir = this.options.Cache == CacheMode.MemoryAndDisk ? this.options.CacheDirectory ?? PreprocessedCache.DefaultDirectory() : null;
            cache = PreprocessedCache.Build(samples, preprocessing, this.options.Interpolation, this.options.MaxPixels,
                this.options.Workers, dir, this.options.CacheProgress);
            foreach (var (i, reason) in cache.Failures) failures[i] = reason;
        }
    }

    /// <summary>
    /// The loader the trainer calls: the <paramref name="split"/> ("train", "val" or "test") of the dataset under
    /// <paramref name="root"/> (either Kaggle layout, or the synthetic set). A missing or tiny val/ is taken from train
    /// (20%, stratified, seeded by <paramref name="seed"/>). Bad files are skipped and listed in <see cref="Skipped"/>.
    /// </summary>
    public static DataLoader FromFolder(string root, string split, Preprocessing preprocessing, int batchSize = 32,
        bool shuffle = true, long seed = 0, IReadOnlyList<string>? classOrder = null, DataLoaderOptions? options = null)
    {
        var o = (options ?? new DataLoaderOptions()) with { BatchSize = batchSize, Shuffle = shuffle, Seed = seed };
        var dataset = ImageDataset.Open(root, classOrder, seed: seed, maxPixels: o.MaxPixels);
        return FromImageFolder(dataset.Split(split), preprocessing, o);
    }

    public static DataLoader FromImageFolder(ImageFolder folder, Preprocessing preprocessing, DataLoaderOptions? options = null) =>
        new(folder.Samples, folder.ClassNames, preprocessing, options, folder.Skipped);

    public IReadOnlyList<string> ClassNames { get; }

    public Preprocessing Preprocessing { get; }

    /// <summary>Images per epoch (those that decoded).</summary>
    public int SampleCount => Usable().Count;

    public int? BatchSize => options.BatchSize;

    public int BatchCount => options.DropLast ? SampleCount / options.BatchSize : (SampleCount + options.BatchSize - 1) / options.BatchSize;

    /// <summary>Files left out, with reasons: found when the folder was read, when the cache was built, or during an uncached epoch.</summary>
    public IReadOnlyList<SkippedFile> Skipped =>
        skippedBefore.Concat(failures.OrderBy(kv => kv.Key).Select(kv => new SkippedFile(samples[kv.Key].Path, kv.Value))).ToList();

    /// <summary>The uint8 cache, when one is used.</summary>
    public PreprocessedCache? Cache => cache;

    /// <summary>Usable images per class, in label order.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[ClassNames.Count];
        foreach (var i in Usable()) counts[samples[i].Label]++;
        return counts;
    }

    /// <summary>Inverse-frequency weights for a weighted loss (see <see cref="Data.ClassWeights.InverseFrequency"/>).</summary>
    public double[] ClassWeights() => Data.ClassWeights.InverseFrequency(ClassCounts());

    /// <summary>The sample indices of one epoch, in the order they are served.</summary>
    public int[] EpochOrder(int epoch)
    {
        var usable = Usable();
        var random = Seed.Random(options.Seed, epoch);
        if (options.Balanced)
        {
            var picks = BalancedSampler.Sample(usable.Select(i => samples[i].Label).ToList(), ClassNames.Count, usable.Count, random);
            return picks.Select(p => usable[p]).ToArray();
        }
        var order = usable.ToArray();
        if (options.Shuffle) random.Shuffle(order);
        return order;
    }

    public IEnumerable<Batch> GetBatches(int epoch)
    {
        var order = EpochOrder(epoch);
        var batchSize = options.BatchSize;
        var count = options.DropLast ? order.Length / batchSize : (order.Length + batchSize - 1) / batchSize;
        var prefetch = options.Prefetch ?? Math.Max(2, options.Workers);
        var pending = new Queue<Task<Batch?>>();
        var next = 0;
        try
        {
            while (next < count || pending.Count > 0)
            {
                // The bounded queue: at most `prefetch` batches in flight, each built on a pool thread.
                while (next < count && pending.Count < prefetch)
                {
                    var start = next * batchSize;
                    var indices = order.AsMemory(start, Math.Min(batchSize, order.Length - start));
                    var batchIndex = next;
                    pending.Enqueue(Task.Run(() => Build(indices.Span, epoch, batchIndex)));
                    next++;
                }
                var batch = pending.Dequeue().GetAwaiter().GetResult();
                if (batch is not null) yield return batch;
            }
        }
        finally
        {
            // The consumer stopped early (break, exception): free what was prepared ahead. A batch it never asked for
            // that failed cannot be thrown from here without hiding the exception that may be unwinding; it is logged.
            while (pending.Count > 0)
            {
                try { pending.Dequeue().GetAwaiter().GetResult()?.Dispose(); }
                catch (Exception e)
                {
                    XRayLogging.For(typeof(DataLoader)).LogWarning(e,
                        "A batch of epoch {Epoch} prepared ahead of the consumer failed after it stopped reading: {Reason}", epoch, e.Message);
                }
            }
        }
    }

    private Batch? Build(ReadOnlySpan<int> indices, int epoch, int batchIndex)
    {
        var bytes = cache?.SampleBytes ?? Preprocessing.Channels * Preprocessing.Height * Preprocessing.Width;
        // A batch's pixels (720 KB at 32 x 150²) would be a new large-object-heap array every batch, garbage the GC lets
        // grow for a while; ToModelInput copies them into the tensor, so the array goes back to the pool at once.
        var pixels = ArrayPool<byte>.Shared.Rent(indices.Length * bytes);
        try
        {
            return Build(indices, epoch, batchIndex, pixels, bytes);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(pixels);
        }
    }

    private Batch? Build(ReadOnlySpan<int> indices, int epoch, int batchIndex, byte[] pixels, int bytes)
    {
        var labels = new long[indices.Length];
        var paths = new string[indices.Length];
        var n = 0;
        foreach (var i in indices)
        {
            var slot = pixels.AsSpan(n * bytes, bytes);
            if (cache is not null)
            {
                cache.Slot(i).CopyTo(slot);
            }
            else
            {
                try
                {
                    ImageLoader.ReadInto(samples[i].Path, Preprocessing, slot, options.Interpolation, options.MaxPixels);
                }
                catch (ImageLoadException e)
                {
                    // Found only now (no cache): left out of this batch and of every later epoch.
                    failures[i] = e.Reason;
                    continue;
                }
            }
            if (options.Transform is not null)
                // Seeded by the sample's place in the epoch, so augmentation repeats whichever thread runs it.
                Augment(slot, Seed.Random(options.Seed, epoch, i, batchIndex));
            labels[n] = samples[i].Label;
            paths[n] = samples[i].Path;
            n++;
        }
        if (n == 0) return null;
        var images = ImageLoader.ToModelInput(pixels.AsSpan(0, n * bytes), n, Preprocessing, options.Device);
        var labelTensor = ((ReadOnlySpan<long>)labels.AsSpan(0, n)).ToTensor(n);
        if (options.Device is { } labelDevice && labelDevice.type != DeviceType.CPU)
            using (var cpuLabels = labelTensor)
                labelTensor = cpuLabels.to(labelDevice);
        return new Batch(images, labelTensor, paths[..n]);
    }

    private void Augment(Span<byte> chw, Random random)
    {
        var p = Preprocessing;
        var image = PixelImage.FromChw(chw, p.Channels, p.Height, p.Width);
        var result = options.Transform!.Apply(image, random);
        if (result.Rows != p.Height || result.Cols != p.Width || result.Channels != p.Channels)
            throw new InvalidOperationException(
                $"The augmentation turned a {p.Width}x{p.Height}x{p.Channels} image into {result.Cols}x{result.Rows}x{result.Channels}; " +
                "transforms in a DataLoader must keep the size and channels.");
        result.CopyToChw(chw);
    }

    private List<int> Usable() => Enumerable.Range(0, samples.Count).Where(i => !failures.ContainsKey(i)).ToList();
}
