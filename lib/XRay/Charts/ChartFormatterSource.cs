using XRay.Display;

namespace XRay.Charts;

/// <summary>Charts show as interactive plotly.js HTML, and as SVG where HTML with script can't run.</summary>
internal sealed class ChartFormatterSource
{
    public IEnumerable<object> CreateTypeFormatters() => new object[]
    {
        new ConventionFormatter<Chart>("text/html", c => c.ToHtml()),
        new ConventionFormatter<Chart>("image/svg+xml", c => c.ToSvg()),
        new ConventionFormatter<Chart>("text/plain", c => $"Chart: {c.Title ?? "untitled"} ({c.Traces.Count} traces)"),
    };
}
