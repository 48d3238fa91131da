using XRay.Torch.Modules;
using static XRay.Torch.torch;
using static XRay.Torch.torch.nn;

namespace XRay.Models;

/// <summary>
/// MobileNetV2's block, named as torchvision's: <c>conv</c> = [1x1 expand ConvBNReLU6 (if t != 1), 3x3 depthwise
/// ConvBNReLU6, 1x1 project Conv2d, BatchNorm2d], plus the input when stride is 1 and the channels match.
/// </summary>
public sealed class InvertedResidual : Module<Tensor, Tensor>
{
    private readonly Sequential conv;
    private readonly bool residual;

    public InvertedResidual(int input, int output, int stride, int expandRatio)
    {
        var hidden = input * expandRatio;
        residual = stride == 1 && input == output;
        conv = Sequential();
        if (expandRatio != 1) conv.append(MobileNetV2.ConvBnReLU6(input, hidden, 1));
        conv.append(MobileNetV2.ConvBnReLU6(hidden, hidden, 3, stride, groups: hidden))
            .append(Conv2d(hidden, output, 1, bias: false))
            .append(BatchNorm2d(output));
    }

    public override Tensor forward(Tensor input)
    {
        var y = conv.call(input); // (B, output, H / stride, W / stride)
        if (!residual) return y;
        using (y) return input.add(y);
    }
}
