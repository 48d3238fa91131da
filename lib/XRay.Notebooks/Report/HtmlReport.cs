using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using Markdig;
using XRay.Charts;
using XRay.IO;
using XRay.Notebooks.Format;

namespace XRay.Notebooks.Report;

/// <summary>
/// One self-contained HTML page showing executed notebooks: prose, code and every output, with plotly.js inlined once
/// (Plotly.NET's copy) so the interactive charts work offline. Printed, the charts are plotly's own SVG, without the toolbar.
/// </summary>
public static class HtmlReport
{
    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    /// <summary>The page, with plotly.js (Plotly.NET's copy) inlined once in its head.</summary>
    public static string Render(IReadOnlyList<NotebookDocument> notebooks, string title)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .Append(WebUtility.HtmlEncode(title)).Append("</title>\n<style>").Append(Style).Append("</style>\n")
            .Append(PlotlyJs.ScriptElement());
        html.Append("</head><body>\n<h1>").Append(WebUtility.HtmlEncode(title)).Append("</h1>\n<nav><ol>");
        for (var i = 0; i < notebooks.Count; i++)
            html.Append($"<li><a href=\"#nb{i}\">{WebUtility.HtmlEncode(Name(notebooks[i]))}</a> {Status(notebooks[i])}</li>");
        html.Append("</ol></nav>\n");
        for (var i = 0; i < notebooks.Count; i++)
        {
            html.Append($"<section id=\"nb{i}\" class=\"notebook\"><h2>{WebUtility.HtmlEncode(Name(notebooks[i]))}</h2>\n");
            foreach (var cell in notebooks[i].Cells) AppendCell(html, cell);
            html.Append("</section>\n");
        }
        return html.Append("</body></html>\n").ToString();
    }

    public static void Write(string path, IReadOnlyList<NotebookDocument> notebooks, string title) =>
        AtomicFile.Write(Path.GetFullPath(path), Encoding.UTF8.GetBytes(Render(notebooks, title)));

    private static void AppendCell(StringBuilder html, NotebookCell cell)
    {
        switch (cell.CellType)
        {
            case "markdown":
                html.Append("<div class=\"markdown\">").Append(Markdig.Markdown.ToHtml(cell.Source, Markdown)).Append("</div>\n");
                return;
            case "code":
                html.Append("<div class=\"cell\"><pre class=\"code\">").Append(WebUtility.HtmlEncode(cell.Source)).Append("</pre>");
                foreach (var output in cell.Outputs.OfType<JsonObject>()) AppendOutput(html, output);
                html.Append("</div>\n");
                return;
        }
    }

    private static void AppendOutput(StringBuilder html, JsonObject output)
    {
        switch (output["output_type"]?.GetValue<string>())
        {
            case "stream":
                html.Append("<pre class=\"stream\">").Append(WebUtility.HtmlEncode(Text(output["text"]))).Append("</pre>");
                break;
            case "error":
                html.Append("<pre class=\"error\">")
                    .Append(WebUtility.HtmlEncode($"{Text(output["ename"])}: {Text(output["evalue"])}")).Append("</pre>");
                break;
            case "display_data" or "execute_result":
                html.Append("<div class=\"output\">").Append(RichOutput(output["data"] as JsonObject)).Append("</div>");
                break;
        }
    }

    // The richest form a browser can show, in Jupyter's order of preference.
    private static string RichOutput(JsonObject? data)
    {
        if (data is null) return "";
        if (data["text/html"] is { } h) return WithoutPlotly(Text(h));
        if (data["image/svg+xml"] is { } svg) return Text(svg);
        if (data["image/png"] is { } png) return $"<img src=\"data:image/png;base64,{Text(png)}\">";
        if (data["text/plain"] is { } plain) return $"<pre>{WebUtility.HtmlEncode(Text(plain))}</pre>";
        return "";
    }

    // A notebook's first chart carries plotly.js; the page has its own copy in the head, so each output drops it.
    private static readonly Regex EmbeddedPlotly = new($"<script[^>]*{PlotlyJs.ScriptMarker}=[^>]*>.*?</script>\\n?", RegexOptions.Singleline);

    private static string WithoutPlotly(string html) => EmbeddedPlotly.Replace(html, "");

    private static string Text(JsonNode? node) => node switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>() ?? "")),
        JsonValue v => v.ToString(),
        _ => "",
    };

    private static string Name(NotebookDocument notebook) =>
        notebook.Path is { } p ? Path.GetFileNameWithoutExtension(p) : "notebook";

    private static string Status(NotebookDocument notebook) =>
        notebook.Metadata["papermill"]?["status"]?.GetValue<string>() switch
        {
            "completed" => "<span class=\"ok\">✓</span>",
            "failed" => "<span class=\"failed\">failed</span>",
            _ => "",
        };

    private const string Style = """
        body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
        pre { background: #f6f8fa; padding: .6em; overflow-x: auto; }
        pre.code { border-left: 3px solid #636efa; }
        pre.error { background: #fdecea; color: #a00; }
        .output table { border-collapse: collapse; } .output td, .output th { border: 1px solid #ddd; padding: 2px 6px; }
        .ok { color: #090; } .failed { color: #a00; }
        @media print { .modebar-container, nav { display: none; } .cell { break-inside: avoid-page; } }
        section.notebook { border-top: 2px solid #eee; margin-top: 2em; }
        """;
}
