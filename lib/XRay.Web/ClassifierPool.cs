using System.Threading.Channels;
using XRay.Data;
using XRay.Metrics;
using XRay.Models;
using XRay.Training;
using static TorchSharp.torch;

namespace XRay.Web;

/// <summary>
/// A small pool of model replicas, one request per replica at a time.
/// <para>
/// Why a pool and not a micro-batching queue: a TorchSharp module is not safe to call from two threads at once (Grad-CAM
/// puts a hook on it, and dispose scopes and inference mode are per thread), so something must serialise the calls.
/// With replicas, a lone request never waits for a batching window, a bad image or a Grad-CAM backward pass affects
/// only its own request, and Grad-CAM (one image, with gradients) fits the same path as prediction. On the CPU a
/// batch costs about its size times one image, so batching requests that happen to arrive together buys little, while
/// each replica costs only its weights (the blog CNN at 224 px: 3.7 M parameters, 15 MB). Micro-batching pays off on a
/// GPU under heavy load; it could sit behind the same <see cref="RunAsync{T}"/>.
/// </para>
/// </summary>
public sealed class ClassifierPool : IDisposable
{
    private readonly Channel<ImageClassifier> free = Channel.CreateUnbounded<ImageClassifier>();
    private readonly List<ImageClassifier> all = new();

    /// <summary>Up to 4, one per core: each forward pass already uses libtorch's threads, so more would only wait.</summary>
    public static int DefaultReplicas => Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>Builds <paramref name="replicas"/> models from one loaded checkpoint.</summary>
    public ClassifierPool(Checkpoint checkpoint, string checkpointName, int replicas, Device? device = null, double? testAccuracy = null)
    {
        if (replicas < 1) throw new ArgumentException($"The pool needs at least 1 replica, got {replicas}.");
        try
        {
            for (var i = 0; i < replicas; i++)
            {
                var replica = new ImageClassifier(checkpoint, device);
                all.Add(replica);
                free.Writer.TryWrite(replica);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
        Info = ModelInfo.From(checkpoint, checkpointName, all[0].Model, replicas, testAccuracy);
    }

    /// <summary>Loads the checkpoint once and, with <see cref="ServeOptions.TestData"/>, measures its test accuracy.</summary>
    public static ClassifierPool Load(ServeOptions options, Device? device = null)
    {
        using var checkpoint = Checkpoint.Load(options.Checkpoint);
        double? accuracy = null;
        if (options.TestData is { } data)
        {
            using var model = checkpoint.CreateModel(device);
            var loader = DataLoader.FromFolder(data, "test", checkpoint.Preprocessing, 32, shuffle: false, classOrder: checkpoint.ClassNames,
                options: new DataLoaderOptions { Cache = CacheMode.None });
            if (loader.SampleCount == 0) throw new ArgumentException($"The test split of '{data}' has no usable images.");
            accuracy = Evaluation.Run(model, loader, device).Accuracy;
        }
        return new ClassifierPool(checkpoint, Path.GetFileName(options.Checkpoint), options.Replicas, device, accuracy);
    }

    public ModelInfo Info { get; }

    public int Replicas => all.Count;

    /// <summary>Runs <paramref name="work"/> on a free replica, waiting for one if all are busy.</summary>
    public async Task<T> RunAsync<T>(Func<ImageClassifier, T> work, CancellationToken cancellation = default)
    {
        var replica = await free.Reader.ReadAsync(cancellation).ConfigureAwait(false);
        try
        {
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
}
