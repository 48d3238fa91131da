using System.Globalization;
using System.Net;
using TorchSharp;
using XRay.Imaging;
using static TorchSharp.torch;

namespace XRay.Display;

/// <summary>
/// An image to look at in a notebook: a PNG with an optional caption. Built from an OpenCV-style <see cref="PixelImage"/>
/// or from a tensor (an image, an activation map or a filter), scaled to 0..255 for display.
/// </summary>
[TypeFormatterSource(typeof(PictureFormatterSource))]
public sealed record Picture(byte[] Png, int Width, int Height, string? Caption = null)
{
    public static Picture From(PixelImage image, string? caption = null) => new(Cv.ImEncodePng(image), image.Cols, image.Rows, caption);

    /// <summary>(H, W), (C, H, W) with C = 1 or 3, or a batch of one; float values are stretched to 0..255 (see PixelImage.FromTensor).</summary>
    public static Picture From(Tensor image, string? caption = null) => From(PixelImage.FromTensor(image), caption);

    public string Base64 => Convert.ToBase64String(Png);

    /// <summary>An img tag, scaled to <paramref name="displayWidth"/> pixels wide when given (pixelated, so small maps stay crisp).</summary>
    public string ToHtml(int? displayWidth = null)
    {
        var width = displayWidth ?? Math.Max(Width, 96);
        var img = string.Create(CultureInfo.InvariantCulture,
            $"<img src=\"data:image/png;base64,{Base64}\" width=\"{width}\" style=\"image-rendering: pixelated\" alt=\"{WebUtility.HtmlEncode(Caption ?? "image")}\">");
        return Caption is null ? img : $"<figure style=\"display:inline-block;margin:4px;text-align:center\">{img}<figcaption>{WebUtility.HtmlEncode(Caption)}</figcaption></figure>";
    }
}

internal sealed class PictureFormatterSource
{
    public IEnumerable<object> CreateTypeFormatters() => new object[]
    {
        new ConventionFormatter<Picture>("text/html", p => p.ToHtml()),
        new ConventionFormatter<Picture>("image/png", p => p.Base64),
        new ConventionFormatter<Picture>("text/plain", p => $"Picture {p.Width}x{p.Height}{(p.Caption is null ? "" : ": " + p.Caption)}"),
    };
}
