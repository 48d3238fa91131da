using Microsoft.Extensions.Hosting;
using XRay.TestSupport;

namespace XRay.Web.Tests;

/// <summary>
/// The page in Debian's headless Chromium (Playwright) against the real server (Kestrel on 127.0.0.1): a synthetic
/// X-ray chosen through the file picker comes back with its class, every class's bar and the Grad-CAM heatmap, with no
/// console error and no request leaving 127.0.0.1.
/// </summary>
[Trait("Category", TestCategories.Browser)]
public sealed class PageBrowserTests : IAsyncLifetime
{
    private ClassifierPool? pool;
    private IHost? server;
    private BrowserSession? browser;

    public async Task InitializeAsync()
    {
        var options = new ServeOptions { Checkpoint = TrainedCheckpoint.Instance.Checkpoint, Port = 0, Replicas = 1 };
        pool = ClassifierPool.Load(options);
        server = WebApp.CreateHostBuilder(options, pool).Build();
        await server.StartAsync();
        browser = await BrowserSession.ForServerAsync(WebApp.Url(server));
    }

    public async Task DisposeAsync()
    {
        if (browser is not null) await browser.DisposeAsync();
        if (server is not null)
        {
            await server.StopAsync();
            server.Dispose();
        }
        pool?.Dispose();
    }

    [Fact]
    public async Task An_uploaded_xray_shows_its_class_every_probability_bar_and_the_heatmap()
    {
        var (page, errors) = await browser!.OpenAsync("/", "#drop");
        // Locator waits: the page's Content-Security-Policy forbids the eval that Playwright's WaitForFunction polls with.
        await page.Locator("#model", new() { HasTextString = "BlogCnn" }).WaitForAsync();
        Assert.Contains("1×32×32", await page.TextContentAsync("#model"));
        Assert.Contains("probabilities not calibrated", await page.TextContentAsync("#model")); // the served checkpoint has no temperature

        var image = TrainedCheckpoint.Instance.TestImages[0];
        await page.SetInputFilesAsync("#file", image);
        await page.Locator("#heatmap[src^='blob:']").WaitForAsync(new() { Timeout = 20000 });
        for (var i = 0; i < 100 && !await page.Locator("#heatmap").EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"); i++)
            await Task.Delay(50);

        var classes = pool!.Info.Classes;
        var shown = await page.TextContentAsync("#class");
        Assert.Contains(shown, classes);
        Assert.Equal(classes, await page.Locator("#bars .bar").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.class)"));
        Assert.Equal(shown, await page.Locator("#bars .bar.best").GetAttributeAsync("data-class"));
        var widths = await page.Locator("#bars .fill").EvaluateAllAsync<double[]>("fills => fills.map(f => parseFloat(f.style.width))");
        Assert.Equal(100, widths.Sum(), 0.1);
        Assert.Equal(32, await page.Locator("#heatmap").EvaluateAsync<int>("img => img.naturalWidth"));
        Assert.True(await page.Locator("#upload").EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"));
        Assert.True(await page.Locator("#error").IsHiddenAsync());
        Assert.Empty(errors);
        Assert.Empty(browser.ExternalRequests);

        // A bad file: the page says why, and the next good one works again.
        var text = Path.Combine(TrainedCheckpoint.Instance.Root, "notes.txt");
        await File.WriteAllTextAsync(text, "not an image");
        await page.SetInputFilesAsync("#file", text);
        await page.WaitForSelectorAsync("#error:not([hidden])");
        Assert.Contains("extension '.txt'", await page.TextContentAsync("#error"));

        // Chromium logs the refused upload's 400 itself; nothing else.
        Assert.All(errors, e => Assert.Contains("status of 400", e));
        Assert.Empty(browser.ExternalRequests);
    }
}
