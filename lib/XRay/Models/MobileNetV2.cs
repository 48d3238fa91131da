using XRay.Torch.Modules;
using static XRay.Torch.torch;
using static XRay.Torch.torch.nn;

namespace XRay.Models;

/// <summary>
/// torchvision's mobilenet_v2 (width 1.0): the same modules and parameter names, so its state dicts load directly
/// (3,504,872 parameters and 314 state entries with torchvision's 1000-class head). Seed 001 uses Keras' MobileNet as
/// its base; MobileNetV2 is torchvision's equivalent.
/// </summary>
public sealed class MobileNetV2 : TransferModel
{
    private const int LastChannels = 1280;

    // t (expansion), c (output channels), n (repeats), s (first stride): torchvision's inverted_residual_setting.
    private static readonly (int t, int c, int n, int s)[] Settings =
    {
        (1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1),
    };

    public MobileNetV2(ModelSpec spec)
        : base(spec, BuildFeatures(spec.Channels), LastChannels,
            () => Sequential(Dropout(0.2), Linear(LastChannels, spec.Classes)))
    {
        InitializeLikeTorchvision();
    }

    private static Sequential BuildFeatures(int channels)
    {
        var features = Sequential(ConvBnReLU6(channels, 32, 3, 2));
        var input = 32;
        foreach (var (t, c, n, s) in Settings)
            for (var i = 0; i < n; i++)
            {
                features.append(new InvertedResidual(input, c, i == 0 ? s : 1, t));
                input = c;
            }
        features.append(ConvBnReLU6(input, LastChannels, 1));
        return features;
    }

    /// <summary>torchvision's Conv2dNormActivation: Conv (no bias, "same" padding), BatchNorm, ReLU6.</summary>
    internal static Sequential ConvBnReLU6(long input, long output, long kernel, long stride = 1, long groups = 1) =>
        Sequential(
            Conv2d(input, output, kernel, stride, padding: (kernel - 1) / 2, groups: groups, bias: false),
            BatchNorm2d(output),
            ReLU6());

    // torchvision: kaiming_normal_(fan_out) convolutions, BN weight 1 / bias 0, Linear normal(0, 0.01) / 0.
    private void InitializeLikeTorchvision()
    {
        foreach (var m in Features.modules())
            if (m is Conv2d conv)
            {
                init.kaiming_normal_(conv.weight, mode: "fan_out");
                if (conv.bias is not null) init.zeros_(conv.bias);
            }
        if (Spec.Head == TransferHead.Torchvision)
            foreach (var linear in Classifier.modules().OfType<Linear>())
            {
                init.normal_(linear.weight, 0, 0.01);
                if (linear.bias is not null) init.zeros_(linear.bias);
            }
    }

    protected override Tensor TorchvisionPool(Tensor maps) => functional.adaptive_avg_pool2d(maps, (1, 1)); // (B, 1280, 1, 1)

    protected override string FirstConvKey => "features.0.0.weight";
}
