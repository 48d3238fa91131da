using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Data.Analysis;

namespace XRay.Display;

/// <summary>
/// A DataFrame shown in a notebook as an HTML table (the first <paramref name="MaxRows"/> rows). Microsoft.Data.Analysis'
/// own HTML formatter is a kernel extension that loads only through #r "nuget: ...", and our notebooks #r XRay.dll, so
/// the library brings its own, through the convention .NET Interactive finds without a package reference.
/// </summary>
[TypeFormatterSource(typeof(TableFormatterSource))]
public sealed record Table(DataFrame Frame, int MaxRows = 100)
{
    public string ToHtml()
    {
        var html = new StringBuilder("<table class=\"xray-table\"><thead><tr>");
        foreach (var column in Frame.Columns) html.Append("<th>").Append(WebUtility.HtmlEncode(column.Name)).Append("</th>");
        html.Append("</tr></thead><tbody>");
        var shown = Math.Min(Frame.Rows.Count, MaxRows);
        for (long row = 0; row < shown; row++)
        {
            html.Append("<tr>");
            foreach (var column in Frame.Columns) html.Append("<td>").Append(WebUtility.HtmlEncode(Cell(column[row]))).Append("</td>");
            html.Append("</tr>");
        }
        html.Append("</tbody></table>");
        if (Frame.Rows.Count > shown) html.Append(CultureInfo.InvariantCulture, $"<div>... {Frame.Rows.Count - shown} more rows</div>");
        return html.ToString();
    }

    public override string ToString() => Frame.ToString();

    private static string Cell(object? value) => value switch
    {
        null => "",
        double d => Number(d),
        float f => Number(f),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    // Four decimals, except for small values such as learning rates, which would round away (2.5e-4 is not 0.0003).
    internal static string Number(double value) =>
        value != 0 && Math.Abs(value) < 1e-3 && double.IsFinite(value)
            ? value.ToString("0.###e+0", CultureInfo.InvariantCulture)
            : value.ToString("0.####", CultureInfo.InvariantCulture);
}

/// <summary>AsTable, not ToTable: DataFrame's own ToTable() makes a System.Data.DataTable.</summary>
public static class TableExtensions
{
    public static Table AsTable(this DataFrame frame, int maxRows = 100) => new(frame, maxRows);
}

internal sealed class TableFormatterSource
{
    public IEnumerable<object> CreateTypeFormatters() => new object[]
    {
        new ConventionFormatter<Table>("text/html", t => t.ToHtml()),
        new ConventionFormatter<Table>("text/plain", t => t.ToString()),
    };
}
