namespace XRay.Charts;

/// <summary>
/// Formatters found by .NET Interactive's convention (no package reference needed): an attribute named
/// TypeFormatterSourceAttribute points at a class whose CreateTypeFormatters() returns objects with MimeType,
/// Type and Format(object, TextWriter). VS Code's Polyglot Notebooks and our runner both pick them up.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
internal sealed class TypeFormatterSourceAttribute(Type formatterSourceType) : Attribute
{
    public Type FormatterSourceType { get; } = formatterSourceType;
}

/// <summary>One formatter in the convention's shape.</summary>
public sealed class ConventionFormatter<T>(string mimeType, Func<T, string> format)
{
    public string MimeType { get; } = mimeType;

    public Type Type => typeof(T);

    public bool Format(object instance, TextWriter writer)
    {
        if (instance is not T value) return false;
        writer.Write(format(value));
        return true;
    }
}

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
