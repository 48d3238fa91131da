using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Playwright;
using XRay.Charts;

namespace XRay.Tests.Charts;

/// <summary>
/// The charts' HTML in a real browser: Debian's headless Chromium driven by Playwright, plotly.js served from
/// 127.0.0.1 (the npm copy ./build.sh installs). The plot must render and the page must log no errors.
/// </summary>
public sealed class ChartBrowserTests : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private readonly Dictionary<string, (string type, byte[] body)> pages = new();
    private HttpListener? server;
    private string baseUrl = "";
    private IPlaywright? playwright;
    private IBrowser? browser;

    public async Task InitializeAsync()
    {
        var plotly = Path.Combine(RepositoryRoot(), "node_modules", "plotly.js-dist-min", "plotly.min.js");
        Assert.True(File.Exists(plotly), $"{plotly} is missing: run ./build.sh test (it installs plotly.js with npm).");
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: run ./build.sh test (it installs Debian's chromium).");
        pages["/plotly.min.js"] = ("application/javascript", await File.ReadAllBytesAsync(plotly));
        pages["/favicon.ico"] = ("image/x-icon", Array.Empty<byte>()); // the browser asks for it; a 404 would log an error

        var port = FreePort();
        baseUrl = $"http://127.0.0.1:{port}";
        server = new HttpListener();
        server.Prefixes.Add(baseUrl + "/");
        server.Start();
        _ = Task.Run(Serve);

        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run",
            },
        });
    }

    public async Task DisposeAsync()
    {
        if (browser is not null) await browser.CloseAsync();
        playwright?.Dispose();
        server?.Close();
    }

    private async Task Serve()
    {
        while (server is { IsListening: true })
        {
            HttpListenerContext context;
            try
            {
                context = await server.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            var path = context.Request.Url!.AbsolutePath;
            if (pages.TryGetValue(path, out var page))
            {
                context.Response.ContentType = page.type;
                await context.Response.OutputStream.WriteAsync(page.body);
            }
            else
            {
                context.Response.StatusCode = 404;
            }
            context.Response.Close();
        }
    }

    /// <summary>Loads the chart in a page and returns it with the console errors and page errors it logged.</summary>
    private async Task<(IPage page, List<string> errors)> Open(Chart chart, string name)
    {
        var html = $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>{chart.ToHtml(baseUrl + "/plotly.min.js")}</body></html>";
        pages["/" + name] = ("text/html", Encoding.UTF8.GetBytes(html));
        var page = await browser!.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync($"{baseUrl}/{name}");
        await page.WaitForSelectorAsync(".main-svg", new PageWaitForSelectorOptions { Timeout = 20000 });
        return (page, errors);
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
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "XRayNotebooks.sln"))) return dir.FullName;
        throw new InvalidOperationException("XRayNotebooks.sln not found above " + AppContext.BaseDirectory);
    }
}
