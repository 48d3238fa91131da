using XRay.Charts;
using XRay.Notebooks.Format;
using XRay.Notebooks.Report;
using XRay.TestSupport;

namespace XRay.Notebooks.Tests;

public class HtmlReportTests
{
    /// <summary>A notebook that shows a confusion matrix and a loss curve, executed by the runner.</summary>
    private static async Task<NotebookDocument> ExecutedNotebook()
    {
        var xray = typeof(Figure).Assembly.Location;
        var notebook = NotebookRunnerTests.Notebook(
            ("markdown", "## 6. Evaluation\nThe **confusion matrix**, rows are true labels.", Array.Empty<string>()),
            ("code", $"#r \"{xray}\"\nusing XRay.Charts;\n" +
                     "Figures.Heatmap(new IReadOnlyList<double>[] { new double[] { 5, 1 }, new double[] { 2, 7 } }, " +
                     "new[] { \"NORMAL\", \"PNEUMONIA\" }, new[] { \"NORMAL\", \"PNEUMONIA\" }, \"Confusion matrix\")",
                Array.Empty<string>()),
            ("code", "Figures.Curves(new Dictionary<string, IReadOnlyList<double>> { [\"loss\"] = new[] { 0.7, 0.5, 0.4 } }, \"Loss\", \"loss\")",
                Array.Empty<string>()),
            ("code", "Console.WriteLine(\"done\");", Array.Empty<string>()));
        var (result, _) = await NotebookRunnerTests.Run(notebook);
        Assert.True(result.Succeeded, result.Error?.Message);
        NotebookFile.Save(notebook.doc, notebook.path);
        return NotebookDocument.Load(notebook.path);
    }

    [Fact]
    public async Task The_report_shows_prose_code_and_outputs_with_plotly_inlined_once()
    {
        var doc = await ExecutedNotebook();
        Assert.Contains(PlotlyJs.ScriptMarker, doc.Cells[1].Outputs.ToJsonString()); // the executed notebook stands alone

        var html = HtmlReport.Render(new[] { doc }, "Tutorial");

        Assert.Contains("<h2 id=\"evaluation\">6. Evaluation</h2>", html);
        Assert.Contains("<strong>confusion matrix</strong>", html);
        Assert.Equal(2, html.Split("class=\"xray-figure\"").Length - 1);
        Assert.Equal(1, html.Split($"plotly.js v{PlotlyJs.Version}").Length - 1);
        Assert.True(html.IndexOf(PlotlyJs.ScriptMarker, StringComparison.Ordinal) < html.IndexOf("</head>", StringComparison.Ordinal));
        Assert.Contains("<pre class=\"stream\">done", html);
        Assert.Contains("<span class=\"ok\">✓</span>", html);
    }

    /// <summary>The report's charts draw with no network at all.</summary>
    [Fact]
    [Trait("Category", TestCategories.Browser)]
    public async Task The_report_renders_its_charts_offline_in_a_browser()
    {
        var doc = await ExecutedNotebook();
        await using var browser = await BrowserSession.StartAsync();
        var path = Path.Combine(Path.GetDirectoryName(doc.Path)!, "report.html");
        HtmlReport.Write(path, new[] { doc }, "Tutorial");
        browser.Serve("/report.html", "text/html", await File.ReadAllBytesAsync(path));
        var (page, errors) = await browser.OpenAsync("/report.html", "g.trace.scatter");
        Assert.Equal(2, await page.Locator(".main-svg g.cartesianlayer").CountAsync());
        Assert.Equal(4, await page.Locator("g.annotation").CountAsync());
        Assert.Empty(errors);
        Assert.Empty(browser.ExternalRequests); // no CDN: plotly.js came inline
    }
}
