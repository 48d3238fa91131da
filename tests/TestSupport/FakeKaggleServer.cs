using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace XRay.TestSupport;

/// <summary>
/// An in-process loopback server that behaves like Kaggle: Basic auth on the API, a 302 to "signed storage" that
/// rejects any request carrying Authorization, byte ranges, and a connection dropped mid-file on demand.
/// </summary>
internal sealed class FakeKaggleServer : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly Task loop;

    public FakeKaggleServer(string user, string key)
    {
        ExpectedAuth = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{key}"));
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Endpoint = new Uri($"http://127.0.0.1:{port}/");
        listener.Prefixes.Add(Endpoint.ToString());
        listener.Start();
        loop = Task.Run(Serve);
    }

    public Uri Endpoint { get; }

    public string ExpectedAuth { get; }

    /// <summary>Files served under /storage/NAME (and /plain/NAME without redirect).</summary>
    public ConcurrentDictionary<string, byte[]> Files { get; } = new();

    /// <summary>The next N storage responses send only this many bytes, then drop the connection.</summary>
    public int DropsLeft { get; set; }

    public int DropAfterBytes { get; set; }

    public ConcurrentQueue<(string Path, string? Authorization, string? Range)> Requests { get; } = new();

    private async Task Serve()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await listener.GetContextAsync(); }
            catch (Exception) { return; }
            try { Handle(context); }
            catch (Exception) { /* the client went away */ }
        }
    }

    private void Handle(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var path = request.Url!.AbsolutePath;
        var auth = request.Headers["Authorization"];
        Requests.Enqueue((path, auth, request.Headers["Range"]));
        const string api = "/api/v1/datasets/download/";
        if (path.StartsWith(api, StringComparison.Ordinal))
        {
            var slug = path[api.Length..].Split('/')[1];
            if (auth != ExpectedAuth) { response.StatusCode = 401; response.Close(); return; }
            if (!Files.ContainsKey(slug + ".zip")) { response.StatusCode = 404; response.Close(); return; }
            response.StatusCode = 302;
            response.RedirectLocation = new Uri(Endpoint, $"storage/{slug}.zip?signature=abc").ToString();
            response.Close();
            return;
        }
        var storage = path.StartsWith("/storage/", StringComparison.Ordinal);
        if (storage && auth is not null)
        {
            // Signed storage URLs reject a second form of authentication, as S3/GCS do.
            response.StatusCode = 400;
            response.Close();
            return;
        }
        if (!Files.TryGetValue(path.Split('/').Last(), out var data)) { response.StatusCode = 404; response.Close(); return; }
        var from = 0L;
        if (request.Headers["Range"] is { } range && range.StartsWith("bytes=", StringComparison.Ordinal))
        {
            from = long.Parse(range[6..].TrimEnd('-'));
            response.StatusCode = 206;
            response.Headers["Content-Range"] = $"bytes {from}-{data.Length - 1}/{data.Length}";
        }
        response.Headers["Accept-Ranges"] = "bytes";
        response.ContentLength64 = data.Length - from;
        if (DropsLeft > 0)
        {
            DropsLeft--;
            response.OutputStream.Write(data, (int)from, DropAfterBytes);
            response.OutputStream.Flush();
            response.Abort();
            return;
        }
        response.OutputStream.Write(data, (int)from, (int)(data.Length - from));
        response.Close();
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        try { loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }
}
