using System.Security.Cryptography;
using TorchSharp;
using System.Text;
using System.Text.Json;
using XRay.Data;
using XRay.Models;
using XRay.Runtime;
using XRay.Training;
using XRay.Weights;
using static TorchSharp.torch;

namespace XRay.Features;

/// <summary>
/// A CNN used as a feature extractor (part 2 of the blog series): its convolutional part up to the last pooling
/// (<see cref="IFeatureMaps"/>), pooled to one vector per image by <see cref="Pooling"/>. Runs in eval and inference
/// mode, so dropout is off and batch-norm uses its running statistics: the same image always gives the same vector.
/// </summary>
public sealed class FeatureExtractor : IDisposable
{
    private readonly IFeatureMaps maps;
    private readonly bool ownsModel;
    private string? fingerprint;
    private long imagesRun;

    /// <param name="model">blog-cnn, cnn, mobilenet-v2 or vgg19 (the MLP has no convolutional part).</param>
    /// <param name="preprocessing">How images are prepared for it; its input shape must be the model's.</param>
    /// <param name="pooling">null: <see cref="DefaultPooling"/>.</param>
    /// <param name="ownsModel">Dispose the model with this extractor.</param>
    public FeatureExtractor(ClassifierModel model, Preprocessing preprocessing, FeaturePooling? pooling = null, Device? device = null,
        bool ownsModel = false)
    {
        maps = model as IFeatureMaps
               ?? throw new ArgumentException($"A {model.Spec.Arch} model has no convolutional feature extractor; use blog-cnn, cnn, mobilenet-v2 or vgg19.");
        if (!preprocessing.InputShape.SequenceEqual(model.Spec.InputShape))
            throw new ArgumentException($"The preprocessing gives {string.Join("x", preprocessing.InputShape)} images but the {model.Spec.Arch} model " +
                                        $"takes {string.Join("x", model.Spec.InputShape)}.");
        Model = model;
        Preprocessing = preprocessing;
        Pooling = pooling ?? DefaultPooling(model);
        Device = device ?? model.parameters().FirstOrDefault()?.device ?? CPU;
        this.ownsModel = ownsModel;
    }

    public ClassifierModel Model { get; }

    public Preprocessing Preprocessing { get; }

    public FeaturePooling Pooling { get; }

    public Device Device { get; }

    /// <summary>Where the weights came from, e.g. "blog-cnn from runs/05-training/checkpoint.pt" (recorded with classifiers).</summary>
    public string Source { get; init; } = "";

    /// <summary>The checkpoint's training seed, which split validation off train; null for an architecture.</summary>
    public long? TrainingSeed { get; init; }

    /// <summary>The checkpoint's classes in label order; null for an architecture.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>Images run through the model so far (a cache hit adds none).</summary>
    public long ImagesRun => Interlocked.Read(ref imagesRun);

    /// <summary>Flatten for the CNNs (what their dense head sees), global average for the torchvision models.</summary>
    public static FeaturePooling DefaultPooling(ClassifierModel model) => model is TransferModel ? FeaturePooling.Average : FeaturePooling.Flatten;

    /// <summary>The convolutional part of a model trained by `xray train` (or Trainer.Fit + Checkpoint).</summary>
    public static FeatureExtractor FromCheckpoint(string path, FeaturePooling? pooling = null, Device? device = null)
    {
        using var checkpoint = Checkpoint.Load(path);
        var model = checkpoint.CreateModel(device);
        try
        {
            return new FeatureExtractor(model, checkpoint.Preprocessing, pooling, device, ownsModel: true)
            {
                Source = $"{model.Spec.Arch} from {Path.GetFullPath(path)}",
                TrainingSeed = checkpoint.Options?.Seed,
                ClassNames = checkpoint.ClassNames,
            };
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// An untrained architecture (seeded), or one with pretrained features: <paramref name="weights"/> is none, imagenet,
    /// a weight set's name or a file (see <see cref="PretrainedWeights.CreateModel"/>);
    /// give the <paramref name="preprocessing"/> that <see cref="Weights.PretrainedWeights.PreprocessingFor"/> returns for
    /// them. Its own head is never used.
    /// </summary>
    public static FeatureExtractor FromArchitecture(string arch, Preprocessing preprocessing, string? weights = null,
        FeaturePooling? pooling = null, long seed = 0, Device? device = null)
    {
        var none = Weights.PretrainedWeights.IsNone(weights);
        var model = PretrainedWeights.CreateModel(new ModelSpec(arch, preprocessing.Channels, preprocessing.Height, preprocessing.Width, 2), weights ?? "none", seed);
        try
        {
            if (device is not null) model.to(device);
            return new FeatureExtractor(model, preprocessing, pooling, device, ownsModel: true)
            {
                Source = none ? $"{arch}, untrained (seed {seed})" : $"{arch} with {preprocessing.Weights ?? weights}",
            };
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>(B, D) float32 features on the CPU for images (B, C, H, W); the caller owns the tensor.</summary>
    public Tensor Compute(Tensor images)
    {
        using var scope = NewDisposeScope();
        using var _ = inference_mode();
        using var eval = EvalMode.Enter(Model); // dropout off whatever mode the model was left in, and back afterwards
        var x = images.device == Device ? images : images.to(Device);
        if (ChannelsLast.DefaultFor(Device)) x = x.ToChannelsLast();
        var m = maps.FeatureMaps(x); // (B, F, h, w)
        var pooled = Pooling switch
        {
            FeaturePooling.Flatten => m.flatten(1),                                                         // (B, F·h·w)
            FeaturePooling.Average => nn.functional.adaptive_avg_pool2d(m, new long[] { 1, 1 }).flatten(1), // (B, F)
            _ => nn.functional.adaptive_max_pool2d(m, new long[] { 1, 1 }).flatten(1),                      // (B, F)
        };
        Interlocked.Add(ref imagesRun, images.shape[0]);
        return pooled.to(ScalarType.Float32).cpu().contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>One row per image of <paramref name="images"/> (B, C, H, W).</summary>
    public float[][] Rows(Tensor images)
    {
        using var features = Compute(images);
        return features.ToRows<float>();
    }

    /// <summary>Every image of one epoch of <paramref name="data"/>, in the order it serves them (no shuffle for a stable order).</summary>
    public FeatureSet Extract(IBatchSource data)
    {
        var (paths, labels, rows) = (new List<string>(), new List<int>(), new List<float[]>());
        foreach (var batch in data.GetBatches(0))
            using (batch)
            {
                rows.AddRange(Rows(batch.Images));
                labels.AddRange(batch.Labels.ToArray<long>().Select(l => checked((int)l)));
                paths.AddRange(batch.Paths);
            }
        return new FeatureSet(data.ClassNames, paths.ToArray(), labels.ToArray(), rows.ToArray());
    }

    /// <summary>
    /// SHA-256 of what decides the features: the architecture, the pooling, the preprocessing and every weight and buffer
    /// of the model (so a retrained checkpoint or other ImageNet weights change it, a copied file does not).
    /// </summary>
    public string Fingerprint => fingerprint ??= ComputeFingerprint();

    private string ComputeFingerprint()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(
            $"{Model.Spec.ToJson()}|{Pooling}|{JsonSerializer.Serialize(Preprocessing, JsonDefaults.Options)}"));
        foreach (var (name, tensor) in Model.state_dict().OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"|{name}:{tensor.dtype}:{string.Join("x", tensor.shape)}|"));
            hash.AppendData(TensorBytes(tensor));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static byte[] TensorBytes(Tensor t)
    {
        if (t.dtype == ScalarType.Int64) return Bytes(t.ToArray<long>()); // batch-norm's num_batches_tracked
        using var values = t.to(ScalarType.Float64);
        return Bytes(values.ToArray<double>());
    }

    private static byte[] Bytes<T>(T[] values) where T : unmanaged =>
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    /// <summary>Writes the model as an xray checkpoint (weights, spec, preprocessing), so a classifier can rebuild it.</summary>
    public void Save(string path, IReadOnlyList<string> classNames) =>
        Checkpoint.Save(path, Model, null, 0, new History(), classNames, Preprocessing);

    public void Dispose()
    {
        if (ownsModel) Model.Dispose();
    }
}
