using XRay.Imaging;

namespace XRay.Augmentation;

/// <summary>Runs transforms one after the other, like torchvision's transforms.Compose.</summary>
public sealed class Compose : IImageTransform
{
    public Compose(params IImageTransform[] steps) => Steps = steps;

    public IReadOnlyList<IImageTransform> Steps { get; }

    public PixelImage Apply(PixelImage image, Random random)
    {
        foreach (var step in Steps) image = step.Apply(image, random);
        return image;
    }
}
