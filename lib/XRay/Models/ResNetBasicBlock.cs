using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace XRay.Models;

/// <summary>
/// torchvision's ResNet BasicBlock: conv 3x3 (stride s) - BN - ReLU - conv 3x3 - BN, plus the input (through a
/// 1x1 stride-s conv + BN when the shape changes), then ReLU. Parameter names as torchvision's (conv1, bn1, conv2,
/// bn2, downsample.0, downsample.1).
/// </summary>
public sealed class ResNetBasicBlock : Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Sequential? downsample;

    public ResNetBasicBlock(long inChannels, long outChannels, long stride) : base(nameof(ResNetBasicBlock))
    {
        conv1 = Conv2d(inChannels, outChannels, 3, stride: stride, padding: 1, bias: false);
        bn1 = BatchNorm2d(outChannels);
        conv2 = Conv2d(outChannels, outChannels, 3, padding: 1, bias: false);
        bn2 = BatchNorm2d(outChannels);
        if (stride != 1 || inChannels != outChannels)
            downsample = Sequential(Conv2d(inChannels, outChannels, 1, stride: stride, bias: false), BatchNorm2d(outChannels));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = functional.relu(bn1.call(conv1.call(x)));   // (B, C', H/s, W/s)
        y = bn2.call(conv2.call(y));
        var identity = downsample is null ? x : downsample.call(x);
        return functional.relu(y.add_(identity)).MoveToOuterDisposeScope();
    }
}
