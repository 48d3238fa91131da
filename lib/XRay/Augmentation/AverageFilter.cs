using XRay.Imaging;

namespace XRay.Augmentation;

/// <summary>The blog's average mask: cv2.filter2D(img, -1, ones(k, k) / k²), rounded and saturated by OpenCV.</summary>
public sealed record AverageFilter(int KernelSize = 3) : IImageTransform
{
    public static PixelImage Apply(PixelImage image, int kernelSize = 3) => Cv.Blur(image, kernelSize);

    public PixelImage Apply(PixelImage image, Random random) => Apply(image, KernelSize);
}
