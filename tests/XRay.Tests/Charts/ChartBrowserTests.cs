using System.Text;
using XRay.Charts;
using XRay.TestSupport;

namespace XRay.Tests.Charts;

/// <summary>
/// The figures' HTML in a real browser, Debian's headless Chromium driven by Playwright, with no network: the plot must
/// render and the page must log no errors. As in a notebook, the first output carries plotly.js and the later ones wait for it.
/// </summary>
[Trait("Category", TestCategories.Browser)]
public sealed class ChartBrowserTests : IAsyncLifetime
{
    private BrowserSession? browser;

    public async Task InitializeAsync() => browser = await BrowserSession.StartAsync();

    public async Task DisposeAsync()
    {
        if (browser is not null) await browser.DisposeAsync();
    }

    private Task<(Microsoft.Playwright.IPage page, List<string> errors)> Open(string body, string name)
    {
        var html = $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>{body}</body></html>";
        browser!.Serve("/" + name, "text/html", Encoding.UTF8.GetBytes(html));
        return browser.OpenAsync("/" + name, ".main-svg");
    }

    [Fact]
    public async Task A_confusion_matrix_renders_one_annotated_cell_per_entry()
    {
        var (page, errors) = await Open(FiguresTests.ConfusionMatrix().ToHtml(includePlotly: true), "heatmap.html");
        Assert.Equal(1, await page.Locator("g.hm").CountAsync());
        Assert.Equal(9, await page.Locator("g.annotation").CountAsync());
        Assert.Contains("535", await page.Locator("g.annotation").AllTextContentsAsync());
        var fill = await page.Locator("g.annotation-text-g text").Nth(4).GetAttributeAsync("style");
        Assert.Contains("fill: rgb(255, 255, 255)", fill); // the darkest cell's text is white
        Assert.Empty(errors);
        Assert.Empty(browser!.ExternalRequests);
    }

    [Fact]
    public async Task A_line_chart_drawn_before_plotly_arrives_renders_once_it_does()
    {
        var loss = Figures.Curves(new Dictionary<string, IReadOnlyList<double>>
        {
            ["loss"] = new[] { 0.69, 0.5, 0.41, 0.35 }, ["val_loss"] = new[] { 0.7, 0.58, 0.5, 0.47 },
        }, "Loss", "loss");
        // The later output first (a notebook viewer may render it before the one carrying plotly.js), then plotly.js.
        var (page, errors) = await Open(loss.ToHtml() + PlotlyJs.ScriptElement(), "lines.html");
        Assert.Equal(2, await page.Locator("g.trace.scatter").CountAsync());
        Assert.Equal(2, await page.Locator("g.legend g.traces").CountAsync());
        Assert.Empty(errors);
        Assert.Empty(browser!.ExternalRequests);
    }

    [Fact]
    public async Task Plotly_defines_window_plotly_on_a_page_with_require_js()
    {
        // Jupyter's classic Notebook loads require.js; a define() there would swallow plotly.js as an AMD module.
        const string fakeRequire = "<script>window.define = function () { throw new Error('define called'); }; window.define.amd = {};</script>";
        var (page, errors) = await Open(fakeRequire + FiguresTests.ConfusionMatrix().ToHtml(includePlotly: true), "require.html");
        Assert.Equal(9, await page.Locator("g.annotation").CountAsync());
        Assert.Empty(errors);
    }
}
