using XRay.Imaging;

namespace XRay.Augmentation;

/// <summary>
/// The blog's Canny-edge sharpening: edges = Canny(img, 50, 225) as 0/255, then img + λ·edges with λ = 3, the edge map
/// added to every channel. Saturated, every edge pixel becomes white; the blog's uint8 wraparound instead subtracts 3
/// (765 mod 256 = 253), see <see cref="PixelArithmetic"/>.
/// </summary>
public sealed record CannySharpen(double Low = 50, double High = 225, double Lambda = 3,
    PixelArithmetic Arithmetic = PixelArithmetic.Saturate) : IImageTransform
{
    public static PixelImage Apply(PixelImage image, double low = 50, double high = 225, double lambda = 3,
        PixelArithmetic arithmetic = PixelArithmetic.Saturate)
    {
        var edges = Cv.Canny(image, low, high).Data;
        var result = image.EmptyLike();
        var channels = image.Channels;
        var k = (int)lambda;
        if (arithmetic == PixelArithmetic.WrapAround && k != lambda)
            throw new ArgumentException($"WrapAround reproduces numpy's integer arithmetic and needs an integer λ, got {lambda}.");
        for (var i = 0; i < image.Data.Length; i++)
        {
            var edge = edges[i / channels];
            result.Data[i] = arithmetic == PixelArithmetic.WrapAround
                ? Pixels.Wrap(image.Data[i] + Pixels.Wrap(k * edge))
                : Pixels.Saturate(image.Data[i] + lambda * edge);
        }
        return result;
    }

    public PixelImage Apply(PixelImage image, Random random) => Apply(image, Low, High, Lambda, Arithmetic);
}
