using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace XRay.Models;

/// <summary>
/// A CNN built from <see cref="CnnOptions"/>: per block, ConvsPerBlock x [Conv, (BatchNorm), ReLU], MaxPool 2,
/// (Dropout); then Flatten, Dense + ReLU layers (with dropout) and one logit per class. L1/L2 act on every kernel.
/// </summary>
public sealed class ConfigurableCnn : ClassifierModel, IRegularizedModel, IFeatureMaps
{
    private readonly Sequential features;
    private readonly Sequential classifier;
    private readonly CnnOptions options;

    public ConfigurableCnn(ModelSpec spec) : base(nameof(ConfigurableCnn), spec)
    {
        options = spec.Cnn ?? new CnnOptions();
        if (options.Filters.Length == 0) throw new ArgumentException("CnnOptions.Filters needs at least one block.");
        if (options.KernelSize <= 0 || options.ConvsPerBlock <= 0)
            throw new ArgumentException($"Kernel size and convs per block must be positive, got {options.KernelSize} and {options.ConvsPerBlock}.");
        var padding = options.SamePadding ? options.KernelSize / 2 : 0;
        if (options.SamePadding && options.KernelSize % 2 == 0)
            throw new ArgumentException($"'Same' padding needs an odd kernel size, got {options.KernelSize}.");

        features = new FusingSequential(); // each block's last ReLU + MaxPool2d run as one op while training (FusingSequential.cs)
        long channels = spec.Channels;
        var (h, w) = (spec.Height, spec.Width);
        foreach (var filters in options.Filters)
        {
            for (var i = 0; i < options.ConvsPerBlock; i++)
            {
                features.append(Conv2d(channels, filters, options.KernelSize, padding: padding, bias: !options.BatchNorm));
                if (options.BatchNorm) features.append(BatchNorm2d(filters));
                features.append(ReLU(inplace: true)); // on the convolution's (or batch norm's) fresh output: one activation less per step
                (h, w) = (ShapeMath.Conv(h, options.KernelSize, 1, padding), ShapeMath.Conv(w, options.KernelSize, 1, padding));
                channels = filters;
            }
            features.append(MaxPool2d(2));
            (h, w) = (ShapeMath.Pool(h), ShapeMath.Pool(w));
            if (options.Dropout > 0) features.append(new Dropout(options.Dropout));
        }

        classifier = Sequential(Flatten());
        var inputs = channels * h * w;
        foreach (var units in options.Dense)
        {
            classifier.append(Linear(inputs, units)).append(ReLU());
            if (options.DenseDropout > 0) classifier.append(new Dropout(options.DenseDropout));
            inputs = units;
        }
        classifier.append(Linear(inputs, spec.Classes));
        RegisterComponents();
    }

    public Tensor FeatureMaps(Tensor input)
    {
        CheckInput(input);
        return features.call(input); // (B, Filters[^1], H / 2^blocks, W / 2^blocks)
    }

    public override Tensor forward(Tensor input)
    {
        using var x = FeatureMaps(input);
        return classifier.call(x); // (B, K)
    }

    public (double L1, double L2) KernelRegularization => (options.L1, options.L2);

    public Tensor? RegularizationLoss() => Regularization.Penalty(Regularization.Kernels(this), options.L1, options.L2);
}
