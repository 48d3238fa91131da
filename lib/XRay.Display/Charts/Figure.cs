using System.Globalization;
using Plotly.NET;
using XRay.Display;

namespace XRay.Charts;

/// <summary>
/// A Plotly.NET chart the library built (see <see cref="Figures"/>), or any GenericChart passed through
/// <see cref="FigureExtensions.ToFigure"/>. In notebooks it shows through our own formatter, which needs no CDN: the first
/// figure of a kernel session carries plotly.js, later ones only draw (Plotly.NET.Interactive's formatter loads
/// require.js and plotly.js from CDNs, so its charts are blank offline).
/// </summary>
[TypeFormatterSource(typeof(FigureFormatterSource))]
public sealed class Figure(GenericChart chart, string? title = null, int width = 640, int height = 420)
{
    public GenericChart Chart { get; } = chart;

    public string? Title { get; } = title;

    public int Width { get; } = width;

    public int Height { get; } = height;

    /// <summary>{"data": [...], "layout": {...}} as Plotly.NET writes it, what Plotly.newPlot takes.</summary>
    public string ToJson() => GenericChart.toFigureJson(Chart);

    /// <summary>
    /// A div and a script that draws the figure once window.Plotly exists (at once, or when plotly.js arrives in an
    /// earlier output). With <paramref name="includePlotly"/> the fragment carries plotly.js itself and stands alone.
    /// </summary>
    public string ToHtml(bool includePlotly = false)
    {
        var id = "xray-" + Guid.NewGuid().ToString("N");
        var fragment = string.Create(CultureInfo.InvariantCulture, $$"""
            <div id="{{id}}" class="xray-figure" style="width: {{Width}}px; height: {{Height}}px;"></div>
            <script type="text/javascript">
            (function () {
              var figure = {{ToJson().Replace("</", "<\\/", StringComparison.Ordinal)}};
              var draw = function () { window.Plotly.newPlot('{{id}}', figure.data, figure.layout, { responsive: true }); };
              if (window.Plotly) draw(); else window.addEventListener('{{PlotlyJs.ReadyEvent}}', draw, { once: true });
            })();
            </script>
            """);
        return includePlotly ? PlotlyJs.ScriptElement() + fragment : fragment;
    }

    /// <summary>What a notebook shows, alone or inside another type's HTML: the session's first figure carries plotly.js.</summary>
    internal string ToNotebookHtml() => ToHtml(PlotlyJs.FirstUseInSession());

    /// <summary>A whole page with plotly.js inlined: opens offline in any browser.</summary>
    public string ToStandaloneHtml() =>
        $"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{System.Net.WebUtility.HtmlEncode(Title ?? "chart")}</title></head><body>\n" +
        ToHtml(includePlotly: true) + "</body></html>\n";

    public override string ToString() => $"Figure: {Title ?? "untitled"}";
}

/// <summary>Wraps a Plotly.NET chart built by hand so notebooks show it with our offline formatter.</summary>
public static class FigureExtensions
{
    public static Figure ToFigure(this GenericChart chart, string? title = null, int width = 640, int height = 420) =>
        new(Plotly.NET.CSharp.GenericChartExtensions.WithSize(chart, width, height), title, width, height);
}

internal sealed class FigureFormatterSource
{
    public IEnumerable<object> CreateTypeFormatters() => new object[]
    {
        new ConventionFormatter<Figure>("text/html", f => f.ToNotebookHtml()),
        new ConventionFormatter<Figure>("text/plain", f => f.ToString()),
    };
}
