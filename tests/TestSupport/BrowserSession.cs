using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;

namespace XRay.TestSupport;

/// <summary>
/// Debian's headless Chromium driven by Playwright, plus a tiny HTTP server on 127.0.0.1 serving pages from
/// memory and plotly.js from the npm copy ./build.sh installs. Requests that leave 127.0.0.1 are refused and
/// recorded, so a test can prove a page works offline. Shared by the browser tests (linked into each project).
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    public const string Chromium = "/usr/bin/chromium";

    private readonly Dictionary<string, (string type, byte[] body)> files = new();
    private readonly HttpListener server = new();
    private IPlaywright? playwright;
    private IBrowser? browser;

    private BrowserSession() { }

    public string BaseUrl { get; private set; } = "";

    /// <summary>URLs the pages asked for outside 127.0.0.1 (all refused).</summary>
    public List<string> ExternalRequests { get; } = new();

    public static async Task<BrowserSession> StartAsync()
    {
        var plotly = Path.Combine(Repository.Root(), "node_modules", "plotly.js-dist-min", "plotly.min.js");
        if (!File.Exists(plotly)) throw new InvalidOperationException($"{plotly} is missing: run ./build.sh test (it installs plotly.js with npm).");
        if (!File.Exists(Chromium)) throw new InvalidOperationException($"{Chromium} is missing: run ./build.sh test (it installs Debian's chromium).");
        var session = new BrowserSession();
        session.Serve("/plotly.min.js", "application/javascript", await File.ReadAllBytesAsync(plotly));
        session.Serve("/favicon.ico", "image/x-icon", Array.Empty<byte>()); // asked for by the browser; a 404 would log an error
        var port = FreePort();
        session.BaseUrl = $"http://127.0.0.1:{port}";
        session.server.Prefixes.Add(session.BaseUrl + "/");
        session.server.Start();
        _ = Task.Run(session.Listen);
        await session.LaunchAsync();
        return session;
    }

    /// <summary>The browser alone, for pages a real server on 127.0.0.1 serves (the web app); requests elsewhere are refused as above.</summary>
    public static async Task<BrowserSession> ForServerAsync(string baseUrl)
    {
        if (!baseUrl.StartsWith("http://127.0.0.1:", StringComparison.Ordinal)) throw new ArgumentException($"Only servers on 127.0.0.1, got {baseUrl}.");
        if (!File.Exists(Chromium)) throw new InvalidOperationException($"{Chromium} is missing: run ./build.sh test (it installs Debian's chromium).");
        var session = new BrowserSession { BaseUrl = baseUrl.TrimEnd('/') };
        await session.LaunchAsync();
        return session;
    }

    private async Task LaunchAsync()
    {
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

    public string PlotlyUrl => BaseUrl + "/plotly.min.js";

    public void Serve(string path, string contentType, byte[] body) => files[path] = (contentType, body);

    /// <summary>Opens a served page; returns it with the console and page errors it logs.</summary>
    public async Task<(IPage page, List<string> errors)> OpenAsync(string path, string waitForSelector)
    {
        var page = await browser!.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        page.PageError += (_, e) => errors.Add(e);
        await page.RouteAsync("**/*", async route =>
        {
            if (new Uri(route.Request.Url).Host == "127.0.0.1") await route.ContinueAsync(); // any local port: a Jupyter kernel serves its own
            else
            {
                ExternalRequests.Add(route.Request.Url);
                await route.AbortAsync();
            }
        });
        await page.GotoAsync(BaseUrl + path);
        await page.WaitForSelectorAsync(waitForSelector, new PageWaitForSelectorOptions { Timeout = 20000 });
        return (page, errors);
    }

    private async Task Listen()
    {
        while (server.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await server.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            if (files.TryGetValue(context.Request.Url!.AbsolutePath, out var file))
            {
                context.Response.ContentType = file.type;
                await context.Response.OutputStream.WriteAsync(file.body);
            }
            else
            {
                context.Response.StatusCode = 404;
            }
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (browser is not null) await browser.CloseAsync();
        playwright?.Dispose();
        if (server.IsListening) server.Close();
    }

    /// <summary>A port on 127.0.0.1 that nothing listens on now.</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
