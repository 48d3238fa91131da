using System.Globalization;
using System.Net;
using System.Text;
using static TorchSharp.torch;

namespace XRay.Display;

/// <summary>
/// Pictures in rows with captions: sample X-rays with labels, the augmentation gallery, feature maps, learned
/// filters, misclassified images. Shows as HTML, and as a static SVG (the PNGs embedded) for GitHub.
/// </summary>
[TypeFormatterSource(typeof(ImageGridFormatterSource))]
public sealed record ImageGrid(IReadOnlyList<Picture> Pictures, int Columns = 4, string? Title = null, int CellWidth = 160)
{
    /// <summary>One picture per channel of an activation (1, C, H, W) or (C, H, W): what a layer sees (seed 003's feature maps).</summary>
    public static ImageGrid FromFeatureMaps(Tensor activations, string title, int maxChannels = 16, int columns = 8)
    {
        var maps = activations.ndim == 4 ? activations[0] : activations.alias();
        using (maps)
        {
            var count = (int)Math.Min(maps.shape[0], maxChannels);
            var pictures = Enumerable.Range(0, count).Select(c =>
            {
                using var channel = maps[c];
                return Picture.From(channel, $"channel {c}");
            }).ToList();
            return new ImageGrid(pictures, columns, title, CellWidth: 96);
        }
    }

    /// <summary>The learned kernels of a convolution weight (out, in, kh, kw), first input channel of each.</summary>
    public static ImageGrid FromFilters(Tensor weight, string title, int maxFilters = 32, int columns = 8)
    {
        if (weight.ndim != 4) throw new ArgumentException($"Conv filters are (out, in, kh, kw), got [{string.Join(", ", weight.shape)}].");
        var count = (int)Math.Min(weight.shape[0], maxFilters);
        var pictures = Enumerable.Range(0, count).Select(o =>
        {
            using var kernel = weight[o, 0];
            return Picture.From(kernel, $"filter {o}");
        }).ToList();
        return new ImageGrid(pictures, columns, title, CellWidth: 64);
    }

    public string ToHtml()
    {
        var html = new StringBuilder("<div class=\"xray-grid\">");
        if (Title is not null) html.Append("<div><b>").Append(WebUtility.HtmlEncode(Title)).Append("</b></div>");
        html.Append(CultureInfo.InvariantCulture, $"<div style=\"display:grid;grid-template-columns:repeat({Columns},{CellWidth + 8}px)\">");
        foreach (var p in Pictures) html.Append(p.ToHtml(CellWidth));
        return html.Append("</div></div>").ToString();
    }

    public string ToSvg()
    {
        const int captionHeight = 18, titleHeight = 24;
        var rows = (Pictures.Count + Columns - 1) / Columns;
        var cellHeight = Pictures.Count == 0 ? CellWidth : Pictures.Max(p => CellWidth * p.Height / Math.Max(1, p.Width)) + captionHeight;
        var top = Title is null ? 0 : titleHeight;
        var (w, h) = (Columns * (CellWidth + 8), top + rows * (cellHeight + 8));
        var svg = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" font-family=\"sans-serif\" font-size=\"12\">"));
        if (Title is not null) svg.Append(CultureInfo.InvariantCulture, $"<text x=\"4\" y=\"16\" font-weight=\"bold\">{WebUtility.HtmlEncode(Title)}</text>");
        for (var i = 0; i < Pictures.Count; i++)
        {
            var p = Pictures[i];
            var (x, y) = (i % Columns * (CellWidth + 8), top + i / Columns * (cellHeight + 8));
            var ph = CellWidth * p.Height / Math.Max(1, p.Width);
            svg.Append(CultureInfo.InvariantCulture,
                $"<image x=\"{x}\" y=\"{y}\" width=\"{CellWidth}\" height=\"{ph}\" href=\"data:image/png;base64,{p.Base64}\"/>");
            if (p.Caption is not null)
                svg.Append(CultureInfo.InvariantCulture,
                    $"<text x=\"{x + CellWidth / 2}\" y=\"{y + ph + 14}\" text-anchor=\"middle\">{WebUtility.HtmlEncode(p.Caption)}</text>");
        }
        return svg.Append("</svg>").ToString();
    }
}

internal sealed class ImageGridFormatterSource
{
    public IEnumerable<object> CreateTypeFormatters() => new object[]
    {
        new ConventionFormatter<ImageGrid>("text/html", g => g.ToHtml()),
        new ConventionFormatter<ImageGrid>("image/svg+xml", g => g.ToSvg()),
        new ConventionFormatter<ImageGrid>("text/plain", g => $"ImageGrid: {g.Title ?? ""} ({g.Pictures.Count} pictures)"),
    };
}
