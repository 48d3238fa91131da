using XRay.Imaging;

namespace XRay.Augmentation;

/// <summary>The blog's average mask: cv2.filter2D(img, -1, ones(k, k) / k²), rounded and saturated by OpenCV.</summary>
public sealed record AverageFilter(int KernelSize = 3) : IImageTransform
{
    public static Mat Apply(Mat image, int kernelSize = 3) => cv.blur(image, kernelSize);

    public Mat Apply(Mat image, Random random) => Apply(image, KernelSize);
}
