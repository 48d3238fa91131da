using static TorchSharp.torch;

namespace XRay.Models;

/// <summary>
/// The input ML.NET's ResNet-18 expects, made from ours (RGB in [0, 1]): pixel values 0-255, channels in BGR order,
/// minus the mean image the package ships (ResNetPreprocess.onnx: Split, Concat B G R, Sub MeanImage). The mean image
/// is a buffer (state dict entry <c>mean_image</c>), 224x224 as shipped, resized bilinearly for other input sizes;
/// zeros until loaded.
/// </summary>
public sealed class MlnetInput : nn.Module<Tensor, Tensor>
{
    private readonly Tensor mean_image;

    public MlnetInput(long height, long width) : base(nameof(MlnetInput))
    {
        mean_image = zeros(1, 3, height, width);
        RegisterComponents();
    }

    /// <summary>Sets the mean image (1, 3, h, w), BGR, 0-255, resized to this input's size.</summary>
    public void SetMean(Tensor mean)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var resized = mean.shape[2] == mean_image.shape[2] && mean.shape[3] == mean_image.shape[3]
            ? mean
            : nn.functional.interpolate(mean, new[] { mean_image.shape[2], mean_image.shape[3] }, mode: InterpolationMode.Bilinear, align_corners: false);
        mean_image.copy_(resized);
    }

    public override Tensor forward(Tensor rgb) =>
        rgb.mul(255.0).flip(1).sub(mean_image); // (B, 3, H, W): BGR, 0-255, minus the mean image
}
