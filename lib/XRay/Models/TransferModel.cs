using XRay.Torch.Modules;
using static XRay.Torch.torch;
using static XRay.Torch.torch.nn;

namespace XRay.Models;

/// <summary>
/// A torchvision feature extractor (<c>features</c>, with torchvision's parameter names) and a classifier
/// (<c>classifier</c>): seed 001's head by default, or torchvision's own. ImageNet weights come from a state dict that
/// Python exports; see docs on <see cref="LoadPretrained"/>.
/// </summary>
public abstract class TransferModel : ClassifierModel
{
    // Field names are the state-dict prefixes: features.*, classifier.*.
    private readonly Sequential features;
    private readonly Sequential classifier;
    private bool frozen;

    protected TransferModel(ModelSpec spec, Sequential features, long featureChannels, Func<Sequential> torchvisionClassifier)
        : base(spec)
    {
        this.features = features;
        classifier = spec.Head == TransferHead.Torchvision ? torchvisionClassifier() : Seed001Head(featureChannels, spec.Classes);
    }

    /// <summary>The convolutional feature extractor (torchvision's <c>features</c>).</summary>
    public Sequential Features => features;

    public Sequential Classifier => classifier;

    /// <summary>Whether the feature extractor is frozen (see <see cref="FreezeFeatures"/>).</summary>
    public bool FeaturesFrozen => frozen;

    /// <summary>
    /// Seed 001's head on the pooled features (B, F): Dense 512 ReLU, Dropout 0.5, Dense 512 ReLU, BatchNorm,
    /// Dense 16 ReLU, Dense K. Keras' defaults: glorot-uniform kernels, zero biases, BatchNormalization eps 1e-3 and
    /// momentum 0.99 (PyTorch momentum 0.01).
    /// </summary>
    private static Sequential Seed001Head(long features, int classes)
    {
        var head = Sequential(
            Linear(features, 512), ReLU(), Dropout(0.5),
            Linear(512, 512), ReLU(),
            BatchNorm1d(512, eps: 1e-3, momentum: 0.01),
            Linear(512, 16), ReLU(),
            Linear(16, classes));
        foreach (var linear in head.modules().OfType<Linear>())
        {
            init.xavier_uniform_(linear.weight);
            if (linear.bias is not null) init.zeros_(linear.bias);
        }
        return head;
    }

    /// <summary>
    /// Stops the feature extractor learning (transfer learning's first phase). Like Keras' trainable=False, its
    /// batch-norm layers then also run in inference mode, so their ImageNet statistics are kept. Make the optimizer
    /// (or call Trainer.Fit) after freezing: only parameters with requires_grad are optimized.
    /// </summary>
    public void FreezeFeatures() => SetFrozen(true);

    /// <summary>Lets the feature extractor learn again (fine-tuning).</summary>
    public void UnfreezeFeatures() => SetFrozen(false);

    private void SetFrozen(bool on)
    {
        frozen = on;
        foreach (var p in features.parameters()) p.requires_grad_(!on);
        train(training);
    }

    public override Module train(bool on = true)
    {
        base.train(on);
        if (frozen) features.train(false);
        return this;
    }

    public override Tensor forward(Tensor input)
    {
        using var maps = features.call(input); // (B, F, h, w)
        using var pooled = Pool(maps);         // (B, F) or, for torchvision's VGG head, (B, F * 7 * 7)
        return classifier.call(pooled);        // (B, K)
    }

    private Tensor Pool(Tensor maps)
    {
        if (Spec.Head == TransferHead.Seed001)
        {
            using var max = functional.adaptive_max_pool2d(maps, (1, 1)); // global max pooling
            return max.flatten(1);
        }
        using var avg = TorchvisionPool(maps);
        return avg.flatten(1);
    }

    /// <summary>What torchvision's forward does between features and classifier.</summary>
    protected abstract Tensor TorchvisionPool(Tensor maps);

    /// <summary>
    /// Loads ImageNet (or any torchvision) weights into the feature extractor from a file written by Python:
    /// <code>
    /// import torch, torchvision
    /// m = torchvision.models.mobilenet_v2(weights="IMAGENET1K_V1")   # or vgg19(weights="IMAGENET1K_V1")
    /// torch.save(dict(m.state_dict()), "mobilenet_v2.pt")             # dict(...): libtorch cannot read the OrderedDict's _metadata
    /// </code>
    /// Only the <c>features.*</c> entries are used, unless <paramref name="includeClassifier"/> (then the file must
    /// match this model's classifier, e.g. <see cref="TransferHead.Torchvision"/> with the same class count). For a
    /// grayscale model (1 input channel) the first convolution's RGB kernels are summed, which gives the same response
    /// to a gray image replicated to RGB.
    /// </summary>
    public void LoadPretrained(string path, bool includeClassifier = false)
    {
        var loaded = XRay.Torch.torch.load(path);
        try
        {
            var own = state_dict();
            var wanted = new Dictionary<string, Tensor>();
            foreach (var (key, value) in loaded)
                if (key.StartsWith("features.", StringComparison.Ordinal) || (includeClassifier && key.StartsWith("classifier.", StringComparison.Ordinal)))
                    wanted[key] = AdaptInputChannels(key, value, own);
            var missing = own.Keys.Where(k => (includeClassifier || k.StartsWith("features.", StringComparison.Ordinal)) && !wanted.ContainsKey(k)).ToList();
            if (missing.Count > 0)
                throw new InvalidDataException(
                    $"'{path}' is missing {missing.Count} of {GetName()}'s weights (first: {missing[0]}). Export the matching " +
                    $"torchvision model with torch.save(dict(model.state_dict()), path).");
            load_state_dict(wanted, strict: false);
        }
        finally
        {
            foreach (var t in loaded.Values) t.Dispose();
        }
    }

    private Tensor AdaptInputChannels(string key, Tensor value, Dictionary<string, Tensor> own)
    {
        if (key != FirstConvKey || !own.TryGetValue(key, out var target)) return value;
        if (value.ndim == 4 && target.ndim == 4 && target.shape[1] == 1 && value.shape[1] == 3)
            return value.sum(1, keepdim: true); // (out, 3, k, k) -> (out, 1, k, k)
        return value;
    }

    /// <summary>The state-dict key of the first convolution's weight.</summary>
    protected abstract string FirstConvKey { get; }
}
