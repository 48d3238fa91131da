using XRay.Charts;

namespace XRay.Display;

/// <summary>Figures in one row, e.g. the confusion matrices of several models (notebook 10); narrow pages wrap them onto more lines.</summary>
[TypeFormatterSource(typeof(SideBySideFormatterSource))]
public sealed record SideBySide(IReadOnlyList<Figure> Figures)
{
    public string ToHtml() => Html(f => f.ToHtml());

    internal string Html(Func<Figure, string> figureHtml) =>
        "<div class=\"xray-side-by-side\" style=\"display: flex; flex-wrap: wrap; gap: 8px;\">" +
        string.Concat(Figures.Select(f => $"<div>{figureHtml(f)}</div>")) + "</div>";
}

internal sealed class SideBySideFormatterSource
{
    public IEnumerable<object> CreateTypeFormatters() => new object[]
    {
        new ConventionFormatter<SideBySide>("text/html", s => s.Html(f => f.ToNotebookHtml())),
        new ConventionFormatter<SideBySide>("text/plain", s => $"SideBySide: {string.Join(" | ", s.Figures.Select(f => f.Title ?? "untitled"))}"),
    };
}
