using TorchSharp.Modules;
using XRay.IO;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace XRay.Models;

/// <summary>
/// A torchvision model's feature extractor (<c>features</c>, built by TorchVision, so its parameter names and counts are
/// Python torchvision's) and a classifier (<c>classifier</c>): seed 001's head by default, or torchvision's own. ImageNet
/// weights come from a state dict that Python exports; see <see cref="LoadPretrained"/>. A 1-channel (grayscale) model
/// repeats its input to the 3 channels torchvision's first convolution takes, which equals summing that convolution's
/// RGB kernels, so pretrained weights apply unchanged.
/// </summary>
public abstract class TransferModel : ClassifierModel, IFeatureMaps
{
    // The state-dict prefixes: features.*, classifier.*. Registered explicitly below: TorchSharp's RegisterComponents
    // reflects over the leaf type's fields and would miss these private base-class fields (no parameters, nothing trains).
    private readonly Module<Tensor, Tensor> features;
    private readonly Module<Tensor, Tensor> classifier;
    private bool frozen;

    /// <param name="torchvision">The TorchVision model whose <c>features</c> (and, for <see cref="TransferHead.Torchvision"/>, <c>classifier</c>) are taken.</param>
    protected TransferModel(string name, ModelSpec spec, Module<Tensor, Tensor> torchvision, long featureChannels)
        : base(name, spec)
    {
        if (spec.Channels is not (1 or 3))
            throw new ArgumentException($"{name} takes 1 (grayscale) or 3 (RGB) input channels, got {spec.Channels}.");
        var parts = torchvision.named_children().ToDictionary(c => c.name, c => c.module);
        features = (Module<Tensor, Tensor>)parts["features"];
        if (spec.Head == TransferHead.Torchvision)
        {
            classifier = (Module<Tensor, Tensor>)parts["classifier"];
        }
        else
        {
            classifier = Seed001Head(featureChannels, spec.Classes);
            parts["classifier"].Dispose(); // torchvision's head is not used: free it now (VGG19's is 123.6 M parameters)
        }
        register_module("features", features);
        register_module("classifier", classifier);
    }

    /// <summary>The convolutional feature extractor (torchvision's <c>features</c>).</summary>
    public Module<Tensor, Tensor> Features => features;

    public Module<Tensor, Tensor> Classifier => classifier;

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
            Linear(features, 512), ReLU(), new Dropout(0.5),
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

    public override void train(bool on = true)
    {
        base.train(on);
        if (frozen) features.eval();
    }

    public Tensor FeatureMaps(Tensor input)
    {
        CheckInput(input);
        using var scope = NewDisposeScope();
        var x = input.shape[1] == 1 ? input.expand(-1, 3, -1, -1) : input; // (B, 3, H, W)
        return features.call(x).MoveToOuterDisposeScope();                 // (B, F, h, w)
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var maps = FeatureMaps(input);      // (B, F, h, w)
        var pooled = Pool(maps);            // (B, F) or, for torchvision's VGG head, (B, F * 7 * 7)
        return classifier.call(pooled).MoveToOuterDisposeScope(); // (B, K)
    }

    private Tensor Pool(Tensor maps) =>
        Spec.Head == TransferHead.Seed001
            ? functional.adaptive_max_pool2d(maps, new long[] { 1, 1 }).flatten(1) // global max pooling
            : TorchvisionPool(maps).flatten(1);

    /// <summary>What torchvision's forward does between features and classifier.</summary>
    protected abstract Tensor TorchvisionPool(Tensor maps);

    /// <summary>
    /// Loads ImageNet (or any torchvision) weights into the feature extractor from a file written by Python:
    /// <code>
    /// import torch, torchvision
    /// m = torchvision.models.mobilenet_v2(weights="IMAGENET1K_V1")   # or vgg19(weights="IMAGENET1K_V1")
    /// torch.save(m.state_dict(), "mobilenet_v2.pt")
    /// </code>
    /// Only the <c>features.*</c> entries are used, unless <paramref name="includeClassifier"/> (then the file must
    /// match this model's classifier, e.g. <see cref="TransferHead.Torchvision"/> with the same class count).
    /// </summary>
    public void LoadPretrained(string path, bool includeClassifier = false)
    {
        var loaded = TensorFile.Load(path);
        try
        {
            var wanted = loaded
                .Where(kv => kv.Key.StartsWith("features.", StringComparison.Ordinal) ||
                             (includeClassifier && kv.Key.StartsWith("classifier.", StringComparison.Ordinal)))
                .ToDictionary(kv => kv.Key, kv => kv.Value);
            var own = state_dict();
            var missing = own.Keys.Where(k => (includeClassifier || k.StartsWith("features.", StringComparison.Ordinal)) && !wanted.ContainsKey(k)).ToList();
            if (missing.Count > 0)
                throw new InvalidDataException(
                    $"'{path}' is missing {missing.Count} of {GetName()}'s weights (first: {missing[0]}). Export the matching " +
                    "torchvision model with torch.save(model.state_dict(), path).");
            StateDicts.Load(this, wanted, strict: false, source: path);
        }
        finally
        {
            foreach (var t in loaded.Values) t.Dispose();
        }
    }
}
