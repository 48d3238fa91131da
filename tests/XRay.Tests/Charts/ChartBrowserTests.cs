using System.Text;
using XRay.Charts;
using XRay.TestSupport;

namespace XRay.Tests.Charts;

/// <summary>
/// The charts' HTML in a real browser: Debian's headless Chromium driven by Playwright, plotly.js served from
/// 127.0.0.1 (the npm copy). The plot must render and the page must log no errors.
/// </summary>
public sealed class ChartBrowserTests : IAsyncLifetime
{
    private BrowserSession? browser;

    public async Task InitializeAsync() => browser = await BrowserSession.StartAsync();

    public async Task DisposeAsync()
    {
        if (browser is not null) await browser.DisposeAsync();
    }

    private Task<(Microsoft.Playwright.IPage page, List<string> errors)> Open(Chart chart, string name)
    {
        var html = $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>{chart.ToHtml(browser!.PlotlyUrl)}</body></html>";
        browser.Serve("/" + name, "text/html", Encoding.UTF8.GetBytes(html));
        return browser.OpenAsync("/" + name, ".main-svg");
    }

    [Fact]
    public async Task A_confusion_matrix_renders_one_annotated_cell_per_entry()
    {
        var chart = Chart.Heatmap(
            new IReadOnlyList<double>[] { new double[] { 485, 5, 1 }, new double[] { 6, 535, 4 }, new double[] { 2, 16, 509 } },
            new[] { "Normal", "Covid", "Pneumonia" }, new[] { "Normal", "Covid", "Pneumonia" }, "Confusion matrix");
        var (page, errors) = await Open(chart, "heatmap.html");
        Assert.Equal(1, await page.Locator("g.hm").CountAsync());
        Assert.Equal(9, await page.Locator("g.annotation").CountAsync());
        Assert.Contains("535", await page.Locator("g.annotation").AllTextContentsAsync());
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_line_chart_renders_one_trace_per_series()
    {
        var chart = Chart.Curves(new Dictionary<string, IReadOnlyList<double>>
        {
            ["loss"] = new[] { 0.69, 0.5, 0.41, 0.35 }, ["val_loss"] = new[] { 0.7, 0.58, 0.5, 0.47 },
        }, "Loss", "loss");
        var (page, errors) = await Open(chart, "lines.html");
        Assert.Equal(2, await page.Locator("g.trace.scatter").CountAsync());
        Assert.Equal(2, await page.Locator("g.legend g.traces").CountAsync());
        Assert.Empty(errors);
        Assert.Empty(browser!.ExternalRequests);
    }
}
