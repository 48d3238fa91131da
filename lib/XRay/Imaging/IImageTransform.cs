namespace XRay.Imaging;

/// <summary>
/// One step of an augmentation pipeline on 8-bit images. Random steps draw only from the <c>random</c> argument, which the
/// loader seeds per (seed, epoch, sample), so results repeat whatever thread runs them. Deterministic steps ignore it.
/// </summary>
public interface IImageTransform
{
    PixelImage Apply(PixelImage image, Random random);
}
