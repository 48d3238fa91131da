using System.Globalization;
using System.Text;
using XRay.Charts;

namespace XRay.Display;

/// <summary>
/// Charts in one row, e.g. the confusion matrices of several models (notebook 10). HTML wraps them onto more lines
/// when the page is narrow; the static SVG puts them side by side at their own sizes.
/// </summary>
[TypeFormatterSource(typeof(SideBySideFormatterSource))]
public sealed record SideBySide(IReadOnlyList<Chart> Charts)
{
    public string ToHtml() =>
        "<div class=\"xray-side-by-side\" style=\"display: flex; flex-wrap: wrap; gap: 8px;\">" +
        string.Concat(Charts.Select(c => $"<div>{c.ToHtml()}</div>")) + "</div>";

    public string ToSvg()
    {
        var (width, height) = (Charts.Sum(c => c.Width), Charts.Count == 0 ? 0 : Charts.Max(c => c.Height));
        var svg = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $"""<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">"""));
        var x = 0;
        foreach (var chart in Charts)
        {
            // A chart's own SVG document, nested and moved right: an <svg> inside an <svg> is positioned by x and y.
            var inner = chart.ToSvg();
            var start = inner.IndexOf("<svg ", StringComparison.Ordinal);
            svg.Append(string.Create(CultureInfo.InvariantCulture, $"<svg x=\"{x}\" y=\"0\" ")).Append(inner, start + 5, inner.Length - start - 5);
            x += chart.Width;
        }
        return svg.Append("</svg>").ToString();
    }
}

internal sealed class SideBySideFormatterSource
{
    public IEnumerable<object> CreateTypeFormatters() => new object[]
    {
        new ConventionFormatter<SideBySide>("text/html", s => s.ToHtml()),
        new ConventionFormatter<SideBySide>("image/svg+xml", s => s.ToSvg()),
        new ConventionFormatter<SideBySide>("text/plain", s => $"SideBySide: {string.Join(" | ", s.Charts.Select(c => c.Title ?? "untitled"))}"),
    };
}
