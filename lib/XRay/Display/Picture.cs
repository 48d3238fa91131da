using System.Globalization;
using System.Net;
using XRay.Torch;
using XRay.Torch.Imaging;
using static XRay.Torch.torch;

namespace XRay.Display;

/// <summary>
/// An image to look at in a notebook: a PNG with an optional caption. Built from an OpenCV-style <see cref="Mat"/>
/// or from a tensor (an image, an activation map or a filter), scaled to 0..255 for display.
/// </summary>
[TypeFormatterSource(typeof(PictureFormatterSource))]
public sealed record Picture(byte[] Png, int Width, int Height, string? Caption = null)
{
    public static Picture From(Mat image, string? caption = null) => new(cv.imencode_png(image), image.Cols, image.Rows, caption);

    /// <summary>
    /// (H, W), (C, H, W) with C = 1 or 3, or a batch of one. uint8 is shown as it is; anything else is stretched
    /// from its own min..max to 0..255 (a feature map's scale is arbitrary).
    /// </summary>
    public static Picture From(Tensor image, string? caption = null)
    {
        using var scope = NewDisposeScope();
        var t = image.detach().cpu();
        while (t.ndim > 3 && t.shape[0] == 1) t = t.squeeze(0);
        if (t.ndim == 2) t = t.unsqueeze(0);
        if (t.ndim != 3 || t.shape[0] is not (1 or 3))
            throw new ArgumentException($"A picture needs (H, W), (1|3, H, W) or (1, 1|3, H, W), got [{string.Join(", ", image.shape)}].");
        if (t.dtype != ScalarType.Byte)
        {
            var f = t.to(ScalarType.Float32);
            var (lo, hi) = (f.min().item<float>(), f.max().item<float>());
            var span = hi > lo ? hi - lo : 1f;
            t = ((f - lo) * (255f / span)).round().clamp(0, 255).to(ScalarType.Byte);
        }
        var (c, h, w) = ((int)t.shape[0], (int)t.shape[1], (int)t.shape[2]);
        var hwc = t.permute(1, 2, 0).contiguous().ToArray<byte>();
        return From(new Mat(h, w, c, hwc), caption);
    }

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
