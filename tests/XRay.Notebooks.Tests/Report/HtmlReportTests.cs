using System.Text;
using XRay.Notebooks.Format;
using XRay.Notebooks.Report;
using XRay.TestSupport;

namespace XRay.Notebooks.Tests;

public class HtmlReportTests
{
    /// <summary>A notebook that shows a confusion matrix chart, executed by the runner.</summary>
    private static async Task<NotebookDocument> ExecutedNotebook()
    {
        var xray = typeof(XRay.Charts.Chart).Assembly.Location;
        var notebook = NotebookRunnerTests.Notebook(
            ("markdown", "## 6. Evaluation\nThe **confusion matrix**, rows are true labels.", Array.Empty<string>()),
            ("code", $"#r \"{xray}\"\nusing XRay.Charts;\n" +
                     "Chart.Heatmap(new IReadOnlyList<double>[] { new double[] { 5, 1 }, new double[] { 2, 7 } }, " +
                     "new[] { \"NORMAL\", \"PNEUMONIA\" }, new[] { \"NORMAL\", \"PNEUMONIA\" }, \"Confusion matrix\")",
                Array.Empty<string>()),
            ("code", "Console.WriteLine(\"done\");", Array.Empty<string>()));
        var (result, _) = await NotebookRunnerTests.Run(notebook);
        Assert.True(result.Succeeded, result.Error?.Message);
        NotebookFile.Save(notebook.doc, notebook.path);
        return NotebookDocument.Load(notebook.path);
    }

    [Fact]
    public async Task The_report_shows_prose_code_and_outputs()
    {
        var doc = await ExecutedNotebook();
        var html = HtmlReport.Render(new[] { doc }, "Tutorial", plotlyScript: null);
        Assert.Contains("<h2 id=\"evaluation\">6. Evaluation</h2>", html);
        Assert.Contains("<strong>confusion matrix</strong>", html);
        Assert.Contains("Plotly.newPlot(", html);
        Assert.Contains("<pre class=\"stream\">done", html);
        Assert.Contains("<span class=\"ok\">✓</span>", html);
    }

    /// <summary>With plotly.js inlined the report's charts draw with no network at all.</summary>
    [Fact]
    public async Task With_plotly_inlined_the_charts_render_offline_in_a_browser()
    {
        var doc = await ExecutedNotebook();
        await using var browser = await BrowserSession.StartAsync();
        var plotly = HtmlReport.FindPlotly(Repository.Root());
        Assert.NotNull(plotly);
        var path = Path.Combine(Path.GetDirectoryName(doc.Path)!, "report.html");
        HtmlReport.Write(path, new[] { doc }, "Tutorial", plotly);
        browser.Serve("/report.html", "text/html", await File.ReadAllBytesAsync(path));
        var (page, errors) = await browser.OpenAsync("/report.html", ".main-svg");
        Assert.Equal(4, await page.Locator("g.annotation").CountAsync());
        Assert.Empty(errors);
        Assert.Empty(browser.ExternalRequests); // no CDN: plotly.js came inline
    }
}
