using XRay.Imaging;

namespace XRay.Augmentation;

/// <summary>
/// The blog's high-boost sharpening: img + λ·(img − smooth), smooth being the 3x3 average, λ = 3.
/// See <see cref="PixelArithmetic"/> for the blog's uint8 wraparound, which we do not copy by default.
/// </summary>
public sealed record HighBoost(double Lambda = 3, int KernelSize = 3, PixelArithmetic Arithmetic = PixelArithmetic.Saturate) : IImageTransform
{
    public static PixelImage Apply(PixelImage image, double lambda = 3, int kernelSize = 3, PixelArithmetic arithmetic = PixelArithmetic.Saturate)
    {
        var smooth = Cv.Blur(image, kernelSize);
        var result = image.EmptyLike();
        var x = image.Data;
        var s = smooth.Data;
        if (arithmetic == PixelArithmetic.WrapAround)
        {
            var k = (int)lambda;
            if (k != lambda) throw new ArgumentException($"WrapAround reproduces numpy's integer arithmetic and needs an integer λ, got {lambda}.");
            for (var i = 0; i < x.Length; i++) result.Data[i] = Pixels.Wrap(x[i] + k * Pixels.Wrap(x[i] - s[i]));
        }
        else
        {
            for (var i = 0; i < x.Length; i++) result.Data[i] = Pixels.Saturate(x[i] + lambda * (x[i] - s[i]));
        }
        return result;
    }

    public PixelImage Apply(PixelImage image, Random random) => Apply(image, Lambda, KernelSize, Arithmetic);
}
