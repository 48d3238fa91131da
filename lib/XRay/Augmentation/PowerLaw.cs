using XRay.Imaging;

namespace XRay.Augmentation;

/// <summary>
/// The blog's power-law (gamma) transform, out = c·x^γ on raw 0..255 values, with γ 0.4 or 0.55 and c = 10.
/// With c = 10 the largest value is 10·255^0.55 ≈ 210.9, so nothing overflows for γ ≤ 0.58; the image gets brighter
/// and flatter. The blog keeps the float64 result; we round it to uint8 (at most 0.5/255 away).
/// </summary>
public sealed record PowerLaw(double Gamma, double C = 10) : IImageTransform
{
    public static PixelImage Apply(PixelImage image, double gamma, double c = 10)
    {
        // 256 entries instead of a pow per pixel.
        var table = new byte[256];
        for (var v = 0; v < 256; v++) table[v] = Pixels.Saturate(c * Math.Pow(v, gamma));
        var result = image.EmptyLike();
        for (var i = 0; i < image.Data.Length; i++) result.Data[i] = table[image.Data[i]];
        return result;
    }

    public PixelImage Apply(PixelImage image, Random random) => Apply(image, Gamma, C);
}
