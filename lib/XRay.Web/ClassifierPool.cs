using System.Threading.Channels;
using XRay.Data;
using XRay.Predictors;
using XRay.Training;
using static TorchSharp.torch;

namespace XRay.Web;

/// <summary>
/// A small pool of model replicas, one request per replica at a time, each running libtorch on
/// <see cref="ThreadsPerReplica"/> threads so that replicas × threads never exceeds the cores.
/// <para>
/// Why a pool and not a micro-batching queue: a TorchSharp module is not safe to call from two threads at once (Grad-CAM
/// puts a hook on it, and dispose scopes and inference mode are per thread), so something must serialise the calls.
/// With replicas, a lone request never waits for a batching window, a bad image or a Grad-CAM backward pass affects
/// only its own request, and Grad-CAM (one image, with gradients) fits the same path as prediction. On the CPU a
/// batch costs about its size times one image, so batching requests that happen to arrive together buys little, while
/// each replica costs only its weights. Micro-batching pays off on a GPU under heavy load; it could sit behind the same
/// <see cref="RunAsync{T}"/>.
/// </para>
/// <para>
/// Why the threads are set per call: libtorch's intra-op thread count is OpenMP's, which is per calling thread; a
/// request runs on whichever thread-pool thread is free, so the count is applied on that thread before the model runs.
/// </para>
/// </summary>
public sealed class ClassifierPool : IDisposable
{
    [ThreadStatic] private static int threadsHere;

    private readonly Channel<ImageClassifier> free = Channel.CreateUnbounded<ImageClassifier>();
    private readonly List<ImageClassifier> all = new();

    /// <summary>One per core, at most 4: more replicas than cores would only queue inside libtorch.</summary>
    public static int DefaultReplicas => Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>The cores divided among <paramref name="replicas"/> replicas (at least 1 each): replicas × threads ≤ cores.</summary>
    public static int ThreadsFor(int replicas) => Math.Max(1, Environment.ProcessorCount / Math.Max(1, replicas));

    /// <summary>Builds <paramref name="replicas"/> models from one loaded checkpoint (the caller disposes it).</summary>
    public ClassifierPool(Checkpoint checkpoint, string checkpointName, int replicas, Device? device = null, string? testData = null)
    {
        if (replicas < 1) throw new ArgumentException($"The pool needs at least 1 replica, got {replicas}.");
        ThreadsPerReplica = ThreadsFor(replicas);
        try
        {
            for (var i = 0; i < replicas; i++)
            {
                var replica = new ImageClassifier(checkpoint, device);
                all.Add(replica);
                free.Writer.TryWrite(replica);
            }
            // The test split through the first replica: no model beside the replicas, the weights loaded once more.
            var accuracy = testData is null ? (double?)null : TestAccuracy(all[0], testData);
            Info = ModelInfo.From(checkpoint, checkpointName, all[0].Model, replicas, ThreadsPerReplica, accuracy);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Loads the checkpoint once and, with <see cref="ServeOptions.TestData"/>, measures its test accuracy.</summary>
    public static ClassifierPool Load(ServeOptions options, Device? device = null)
    {
        using var checkpoint = Checkpoint.Load(options.Checkpoint);
        return new ClassifierPool(checkpoint, Path.GetFileName(options.Checkpoint), options.Replicas, device, options.TestData);
    }

    public ModelInfo Info { get; }

    public int Replicas => all.Count;

    /// <summary>libtorch's intra-op threads for each replica's forward pass.</summary>
    public int ThreadsPerReplica { get; }

    /// <summary>Runs <paramref name="work"/> on a free replica, waiting for one if all are busy.</summary>
    public async Task<T> RunAsync<T>(Func<ImageClassifier, T> work, CancellationToken cancellation = default)
    {
        var replica = await free.Reader.ReadAsync(cancellation).ConfigureAwait(false);
        try
        {
            if (threadsHere != ThreadsPerReplica)
            {
                set_num_threads(ThreadsPerReplica);
                threadsHere = ThreadsPerReplica;
            }
            using var scope = NewDisposeScope(); // whatever a request makes natively goes with it
            return work(replica);
        }
        finally
        {
            free.Writer.TryWrite(replica);
        }
    }

    public void Dispose()
    {
        free.Writer.TryComplete();
        foreach (var replica in all) replica.Dispose();
        all.Clear();
    }

    private static double TestAccuracy(ImageClassifier classifier, string data)
    {
        var loader = DataLoader.FromFolder(data, "test", classifier.Preprocessing, 32, shuffle: false, classOrder: classifier.ClassNames,
            options: new DataLoaderOptions { Cache = CacheMode.None });
        if (loader.SampleCount == 0) throw new ArgumentException($"The test split of '{data}' has no usable images.");
        return Metrics.Evaluation.From(classifier.Predict(loader), classifier.Temperature).Accuracy;
    }
}
