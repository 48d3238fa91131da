using XRay.Torch.Modules;
using static XRay.Torch.torch;
using static XRay.Torch.torch.nn;

namespace XRay.Models;

/// <summary>
/// torchvision's vgg19 (configuration "E", no batch norm): 16 conv 3x3 + ReLU layers in 5 blocks, each ending in a
/// 2x2 max pool; parameter names features.{0,2,5,...}.weight as torchvision's. Its 20,024,384 feature parameters are
/// what transfer learning reuses (seed 003); torchvision's own head adds 123.6 M more (25088x4096 first dense).
/// </summary>
public sealed class Vgg19 : TransferModel
{
    private static readonly int[] Config = { 64, 64, 0, 128, 128, 0, 256, 256, 256, 256, 0, 512, 512, 512, 512, 0, 512, 512, 512, 512, 0 };

    public Vgg19(ModelSpec spec)
        : base(spec, BuildFeatures(spec.Channels), 512, () => Sequential(
            Linear(512 * 7 * 7, 4096), ReLU(), Dropout(0.5),
            Linear(4096, 4096), ReLU(), Dropout(0.5),
            Linear(4096, spec.Classes)))
    {
        foreach (var conv in Features.modules().OfType<Conv2d>())
        {
            init.kaiming_normal_(conv.weight, mode: "fan_out", nonlinearity: "relu");
            if (conv.bias is not null) init.zeros_(conv.bias);
        }
        if (spec.Head == TransferHead.Torchvision)
            foreach (var linear in Classifier.modules().OfType<Linear>())
            {
                init.normal_(linear.weight, 0, 0.01);
                if (linear.bias is not null) init.zeros_(linear.bias);
            }
    }

    private static Sequential BuildFeatures(int channels)
    {
        var features = Sequential();
        long input = channels;
        foreach (var v in Config)
        {
            if (v == 0)
            {
                features.append(MaxPool2d(2));
                continue;
            }
            features.append(Conv2d(input, v, 3, padding: 1)).append(ReLU());
            input = v;
        }
        return features;
    }

    protected override Tensor TorchvisionPool(Tensor maps) => functional.adaptive_avg_pool2d(maps, (7, 7)); // (B, 512, 7, 7)

    protected override string FirstConvKey => "features.0.weight";
}
