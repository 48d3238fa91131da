namespace XRay.Augmentation;

/// <summary>
/// What happens when a pixel computation leaves 0..255. The blog adds numpy uint8 arrays, which wrap around modulo 256:
/// a high-boost value of 260 becomes 4 (a black speck on a bright rib), and `img + 3 * edges` with edges = 255 adds
/// 765 mod 256 = 253, i.e. darkens each edge pixel by 3 instead of brightening it. We compute in floating point and
/// clip (saturate) by default, which is what the blog's sharpening intends; WrapAround reproduces its arrays exactly.
/// </summary>
public enum PixelArithmetic
{
    /// <summary>Round to nearest (ties to even, as OpenCV's saturate_cast) and clip to 0..255.</summary>
    Saturate,

    /// <summary>numpy uint8: every intermediate result taken modulo 256.</summary>
    WrapAround,
}
