using System.Diagnostics;
using System.Net;
using XRay.TestSupport;

namespace XRay.Notebooks.Tests.Jupyter;

/// <summary>
/// Debian's classic Jupyter Notebook serving a workspace's notebooks/, started as ./build.sh jupyter starts it: 127.0.0.1
/// only, a free port, a known token, no browser. Disposing kills it with the kernels it started.
/// </summary>
public sealed class NotebookServer : IAsyncDisposable
{
    private readonly Process process;
    private readonly Task<string> log;

    private NotebookServer(Process process, string baseUrl, string token)
    {
        this.process = process;
        BaseUrl = baseUrl;
        Token = token;
        log = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync())
            .ContinueWith(t => string.Concat(t.Result));
    }

    public string BaseUrl { get; }
    public string Token { get; }

    public static async Task<NotebookServer> StartAsync(JupyterWorkspace workspace, TimeSpan timeout)
    {
        var port = BrowserSession.FreePort();
        var token = Guid.NewGuid().ToString("N");
        var args = new List<string>
        {
            "--no-browser", "--ip=127.0.0.1", $"--port={port}", "--NotebookApp.port_retries=0", $"--NotebookApp.token={token}",
            $"--notebook-dir={workspace.Notebooks}",
        };
        if (Environment.UserName == "root") args.Add("--allow-root"); // containers run as root; the Notebook refuses that unless told
        var server = new NotebookServer(Process.Start(workspace.Jupyter("notebook", args.ToArray()))!, $"http://127.0.0.1:{port}", token);
        try
        {
            await server.WaitReadyAsync(timeout);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (process.HasExited) throw new InvalidOperationException($"jupyter notebook exited ({process.ExitCode}):\n{await log}");
            try
            {
                using var response = await client.GetAsync($"{BaseUrl}/api/status?token={Token}");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { } // not listening yet
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        throw new TimeoutException($"jupyter notebook did not answer on {BaseUrl} within {timeout.TotalSeconds:0} s");
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true); // the server and its kernels
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try { await process.WaitForExitAsync(cancel.Token); } catch (OperationCanceledException) { }
        process.Dispose();
    }
}
