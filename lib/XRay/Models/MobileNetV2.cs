using static TorchSharp.torch;
using static TorchSharp.torchvision;

namespace XRay.Models;

/// <summary>
/// TorchVision's mobilenet_v2 (width 1.0) with a transfer head: the same modules and parameter names as Python
/// torchvision, so its state dicts load directly (3,504,872 parameters and 314 state entries with torchvision's
/// 1000-class head). Seed 001 uses Keras' MobileNet as its base; MobileNetV2 is torchvision's equivalent.
/// </summary>
public sealed class MobileNetV2 : TransferModel
{
    private const int LastChannels = 1280;

    public MobileNetV2(ModelSpec spec)
        : base(nameof(MobileNetV2), spec, models.mobilenet_v2(num_classes: spec.Classes), LastChannels) { }

    protected override Tensor TorchvisionPool(Tensor maps) => nn.functional.adaptive_avg_pool2d(maps, new long[] { 1, 1 }); // (B, 1280, 1, 1)
}
