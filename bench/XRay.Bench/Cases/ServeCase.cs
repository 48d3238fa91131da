using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using XRay.Data;
using XRay.Models;
using XRay.Predictors;
using XRay.Training;
using XRay.Web;
using static TorchSharp.torch;

namespace XRay.Bench.Cases;

/// <summary>
/// `xray serve` under load: the web app (XRay.Web, its replica pool) on 127.0.0.1, and a loopback client sending
/// --requests POST /api/predict at concurrency 1, 4 and 16, beside the same images through <see cref="ImageClassifier"/>
/// in this process (what `xray predict` runs), so HTTP, multipart parsing and queueing show as the difference. Seed 002's
/// CNN untrained (the weights do not change the cost). Bounded: --requests per level, and --seconds per level at most.
/// </summary>
internal static class ServeCase
{
    public static readonly int[] Concurrency = { 1, 4, 16 };

    public static JsonObject Run(CaseArgs a)
    {
        set_num_threads(a.Int("threads"));
        var (size, requests, replicas) = (a.Int("size"), a.Int("requests"), a.Int("replicas"));
        var limit = TimeSpan.FromSeconds(a.Int("seconds"));
        var images = ReferenceFiles.Images(a.Text("dir")).Take(requests).Select(p => (Name: Path.GetFileName(p), Bytes: File.ReadAllBytes(p))).ToArray();
        if (images.Length == 0) throw new ArgumentException($"No images in {a.Text("dir")}.");
        var checkpoint = Path.Combine(Path.GetTempPath(), $"xray-bench-serve-{Environment.ProcessId}.pt");
        try
        {
            using (var model = ModelFactory.Create(ModelFactory.BlogCnnArch, 1, size, size, 2, seed: 0))
                Checkpoint.Save(checkpoint, model, null, 0, new History(), new[] { "NORMAL", "PNEUMONIA" }, new Preprocessing(size, size));
            var result = new JsonObject { ["threads"] = get_num_threads(), ["size"] = size, ["replicas"] = replicas, ["images"] = images.Length };
            using var classifier = ImageClassifier.Load(checkpoint);
            result["in_process"] = Measure(requests, 1, limit, i =>
            {
                var (name, bytes) = images[i % images.Length];
                classifier.Predict(bytes, name);
                return Task.CompletedTask;
            });
            result["http"] = Http(new ServeOptions { Checkpoint = checkpoint, Port = 0, Replicas = replicas }, images, requests, limit);
            return result;
        }
        finally
        {
            File.Delete(checkpoint);
        }
    }

    private static JsonObject Http(ServeOptions options, (string Name, byte[] Bytes)[] images, int requests, TimeSpan limit)
    {
        using var pool = ClassifierPool.Load(options);
        // No console log: 600 request lines would be the client's and server's shared CPU, and noise in the report.
        using var host = WebApp.CreateHostBuilder(options, pool).ConfigureLogging(l => l.ClearProviders()).Build();
        host.Start();
        var url = new Uri(WebApp.Url(host));
        if (!System.Net.IPAddress.IsLoopback(System.Net.IPAddress.Parse(url.Host))) throw new InvalidOperationException($"Not loopback: {url}");
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency.Max() }) { BaseAddress = url, Timeout = limit };
        async Task Post(int i)
        {
            var (name, bytes) = images[i % images.Length];
            using var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "image", name } };
            using var response = await client.PostAsync("/api/predict", form);
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            await response.Content.ReadAsByteArrayAsync();
        }
        Measure(Math.Min(requests, 4), 1, limit, Post); // warm-up: connection, JIT, oneDNN primitives of each replica
        var levels = new JsonObject();
        foreach (var c in Concurrency) levels[c.ToString(System.Globalization.CultureInfo.InvariantCulture)] = Measure(requests, c, limit, Post);
        host.StopAsync().GetAwaiter().GetResult();
        return levels;
    }

    /// <summary>Up to <paramref name="requests"/> calls from <paramref name="concurrency"/> workers, stopping at <paramref name="limit"/>.</summary>
    private static JsonObject Measure(int requests, int concurrency, TimeSpan limit, Func<int, Task> call)
    {
        var latencies = new ConcurrentBag<double>();
        var next = -1;
        var clock = Stopwatch.StartNew();
        async Task Worker()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests && clock.Elapsed < limit)
            {
                var start = clock.Elapsed.TotalMilliseconds;
                await call(i);
                latencies.Add(clock.Elapsed.TotalMilliseconds - start);
            }
        }
        Task.WaitAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(Worker)).ToArray());
        var seconds = clock.Elapsed.TotalSeconds;
        var sorted = latencies.Order().ToArray();
        return new JsonObject
        {
            ["concurrency"] = concurrency,
            ["requests"] = sorted.Length,
            ["seconds"] = seconds,
            ["requests_per_s"] = sorted.Length / seconds,
            ["p50_ms"] = Percentile(sorted, 0.50),
            ["p95_ms"] = Percentile(sorted, 0.95),
        };
    }

    // Nearest rank, as most load tools report it.
    private static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
}
