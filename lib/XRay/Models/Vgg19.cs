using static TorchSharp.torch;
using static TorchSharp.torchvision;

namespace XRay.Models;

/// <summary>
/// TorchVision's vgg19 (configuration "E", no batch norm) with a transfer head: 16 conv 3x3 + ReLU layers in 5 blocks,
/// each ending in a 2x2 max pool; parameter names features.{0,2,5,...}.weight as Python torchvision's. Its 20,024,384
/// feature parameters are what transfer learning reuses (seed 003); torchvision's own head adds 123.6 M more
/// (25088x4096 first dense).
/// </summary>
public sealed class Vgg19 : TransferModel
{
    public Vgg19(ModelSpec spec)
        : base(nameof(Vgg19), spec, models.vgg19(num_classes: spec.Classes), 512) { }

    protected override Tensor TorchvisionPool(Tensor maps) => nn.functional.adaptive_avg_pool2d(maps, new long[] { 7, 7 }); // (B, 512, 7, 7)
}
