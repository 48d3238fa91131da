namespace XRay.Imaging;

/// <summary>The container formats whose header <see cref="Cv.Probe"/> reads (those ImageSharp identifies).</summary>
public enum ImageFormat
{
    Unknown = 0,
    Jpeg = 1,
    Png = 2,
    Bmp = 3,
    Gif = 4,
    Tiff = 5,
    Webp = 6,

    /// <summary>PGM, PPM and PBM.</summary>
    Pbm = 7,
}

/// <summary>What a file's header says, read without decoding; Width and Height are -1 when the header was cut short.</summary>
public sealed record ImageHeader(ImageFormat Format, long Width, long Height)
{
    public bool HasSize => Width > 0 && Height > 0;

    public long Pixels => HasSize ? Width * Height : -1;
}
