using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using XRay.Data;
using XRay.Imaging;
using XRay.Models;
using XRay.Predictors;
using XRay.Training;
using static TorchSharp.torch;

namespace XRay.Web.Tests;

/// <summary>The app under load on the in-memory server: concurrent answers, the request log, failures, threads, native memory.</summary>
public sealed class ServingTests(WebAppFactory factory) : IClassFixture<WebAppFactory>
{
    private static TrainedCheckpoint Run => TrainedCheckpoint.Instance;

    [Fact]
    public async Task Thirty_two_parallel_predictions_of_different_images_each_equal_the_in_process_prediction()
    {
        var images = Directory.GetFiles(Run.Data, "*.jpg", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Take(32).ToArray();
        Assert.Equal(32, images.Length);
        using var classifier = ImageClassifier.Load(Run.Checkpoint);
        var expected = images.Select(classifier.Predict).ToArray();
        Assert.True(expected.Select(e => e.Probabilities[0]).Distinct().Count() > 16, "the images should get different answers");

        using var client = factory.CreateClient();
        using var start = new Barrier(32);
        var answers = await Task.WhenAll(images.Select((path, i) => Task.Run(async () =>
        {
            var form = ApiTests.Form(await File.ReadAllBytesAsync(path), Path.GetFileName(path));
            start.SignalAndWait(TimeSpan.FromSeconds(30)); // all 32 in flight together, two replicas for them
            using var response = await client.PostAsync("/api/predict", form);
            return (Index: i, response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        })));

        foreach (var (i, status, body) in answers)
        {
            Assert.True(status == HttpStatusCode.OK, body);
            var json = JsonNode.Parse(body)!;
            Assert.Equal(expected[i].ClassName, (string)json["class"]!);
            var p = json["probabilities"]!.AsObject().Select(kv => (float)kv.Value!).ToArray();
            for (var k = 0; k < p.Length; k++) Assert.Equal(expected[i].Probabilities[k], p[k], 1e-6f);
        }
    }

    [Fact]
    public async Task Each_request_logs_one_line_with_method_path_status_and_milliseconds()
    {
        using var client = factory.CreateClient();
        var good = await File.ReadAllBytesAsync(Run.TestImages[0]);
        var before = factory.Logs.Lines.Count;
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/predict", ApiTests.Form(good, "a.jpg"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/api/predict", ApiTests.Form([1, 2, 3], "b.jpg"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/nothing-here")).StatusCode);

        var requests = factory.Logs.Lines.Skip(before).Where(l => l.Category == RequestLog.Category).ToArray();
        Assert.Equal(4, requests.Length);
        Assert.All(requests, l => Assert.Equal(LogLevel.Information, l.Level));
        Assert.Matches(@"^POST /api/predict 200 \d+(\.\d)? ms$", requests[0].Message);
        Assert.Matches(@"^POST /api/predict 400 \d+(\.\d)? ms$", requests[1].Message);
        Assert.Matches(@"^GET /healthz 200 \d+(\.\d)? ms$", requests[2].Message);
        Assert.Matches(@"^GET /nothing-here 404 \d+(\.\d)? ms$", requests[3].Message);
        // ASP.NET's own per-request lines are filtered out, so a request is one line, not three.
        Assert.DoesNotContain(factory.Logs.Lines.Skip(before), l => l.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) && l.Level < LogLevel.Warning);
    }

    [Fact]
    public async Task An_unexpected_failure_inside_predict_is_a_500_problem_without_internals_and_is_logged()
    {
        using var broken = new WebAppFactory();
        using var client = broken.CreateClient();
        var good = await File.ReadAllBytesAsync(Run.TestImages[0]);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/predict", ApiTests.Form(good, "a.jpg"))).StatusCode);
        broken.Pool.Dispose(); // the replicas' native modules are gone: every forward pass now throws inside libtorch's binding

        foreach (var path in new[] { "/api/predict", "/api/gradcam" })
        {
            using var response = await client.PostAsync(path, ApiTests.Form(good, "a.jpg"));
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = Problems.AssertWellFormed(response.StatusCode, await response.Content.ReadAsStringAsync());
            Assert.Equal(WebApp.InternalErrorDetail, (string)problem["detail"]!);
        }
        // The server's log has what the body leaves out.
        Assert.Contains(broken.Logs.Lines, l => l.Level == LogLevel.Error);
    }

    [Fact]
    public async Task Replicas_times_libtorch_threads_never_exceed_the_cores_and_the_model_info_says_so()
    {
        var threads = await factory.Pool.RunAsync(_ => get_num_threads());
        Assert.Equal(Math.Max(1, Environment.ProcessorCount / factory.Pool.Replicas), threads);
        Assert.Equal(threads, factory.Pool.ThreadsPerReplica);
        Assert.True(factory.Pool.Replicas * threads <= Math.Max(Environment.ProcessorCount, factory.Pool.Replicas));
        using var client = factory.CreateClient();
        var info = JsonNode.Parse(await client.GetStringAsync("/api/model"))!;
        Assert.Equal(2, (int)info["replicas"]!);
        Assert.Equal(threads, (int)info["threads_per_replica"]!);
        Assert.Equal(Math.Clamp(Environment.ProcessorCount, 1, 4), ClassifierPool.DefaultReplicas);
        Assert.True(ClassifierPool.DefaultReplicas * ClassifierPool.ThreadsFor(ClassifierPool.DefaultReplicas) <= Environment.ProcessorCount);
    }

    /// <summary>
    /// 2,000 requests after a warm-up keep native memory flat. First 500 with the finalizer held back (see
    /// <see cref="FinalizerHold"/>), so a tensor a request forgets to dispose stays alive and counted, as it would in a
    /// server whose collections are rare, instead of being freed behind the test's back: the live-tensor count may grow by
    /// a few lazily made tensors, not one per request (checked by leaking the decoded image in each request: it grew by
    /// one per request). Then 1,000 to settle and 2,000 as usual, and RSS after a full collection at both ends of those
    /// 2,000 may grow by 24 MB: the model takes 96×96 gray inputs, so an input tensor is 96·96·4 B = 36 KB and one kept per
    /// request is 2,000 × 36 KB = 74 MB, three times the bound (the rest of the bound is the allocator's and the managed
    /// heap's own settling).
    /// </summary>
    [Fact]
    [Trait("Category", TestCategories.Slow)]
    public async Task Two_thousand_requests_keep_live_tensors_and_rss_flat()
    {
        const int size = 96, warmUp = 200, held = 500, requests = 2000;
        var folder = TestFiles.TempFolder("xray-web-rss-");
        try
        {
            var checkpoint = Path.Combine(folder, "checkpoint.pt");
            using (var model = ModelFactory.Create(ModelFactory.BlogCnnArch, 1, size, size, 2, seed: 0))
                Checkpoint.Save(checkpoint, model, null, 0, new History(), ["NORMAL", "PNEUMONIA"], new Preprocessing(size, size, ColorMode.Grayscale));
            var png = Cv.ImEncodePng(new PixelImage(120, 100, 1, Enumerable.Range(0, 120 * 100).Select(i => (byte)(i * 13 % 251)).ToArray()));
            using var app = new WebAppFactory(checkpoint);
            using var client = app.CreateClient();

            async Task Send(int count)
            {
                var next = -1;
                await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
                {
                    while (Interlocked.Increment(ref next) < count)
                    {
                        using var response = await client.PostAsync("/api/predict", ApiTests.Form(png, "x.png"));
                        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    }
                })));
            }

            await Send(warmUp);
            var tensors = Tensor.TotalCount;
            long tensorsAfter;
            using (FinalizerHold.Start())
            {
                await Send(held);
                tensorsAfter = Tensor.TotalCount;
            }
            Assert.True(tensorsAfter - tensors <= 8, $"live tensors grew from {tensors} to {tensorsAfter} over {held} requests");

            // RSS with the finalizer running as usual: what the hold kept alive is freed first, and the allocator and the managed
            // heap settle (in one clean run that first stretch alone grew RSS by 27 MB), so RSS is measured over the requests
            // after a settling stretch, where a leak still grows it linearly and a settled process does not.
            await Send(requests / 2);
            var rss = Rss();
            await Send(requests);
            var rssAfter = Rss();
            const long leakOfOneInputPerRequest = requests * size * size * sizeof(float);
            Assert.True(rssAfter - rss < leakOfOneInputPerRequest / 3,
                $"RSS grew from {rss / 1e6:F1} MB to {rssAfter / 1e6:F1} MB over {requests} requests (one leaked input each would be {leakOfOneInputPerRequest / 1e6:F0} MB)");
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    /// <summary>
    /// Keeps the finalizer thread busy until disposed: an object whose finalizer waits. Collections still run; objects
    /// waiting to be finalized (a forgotten tensor) stay alive, with their native memory, until the hold ends.
    /// </summary>
    private sealed class FinalizerHold : IDisposable
    {
        private readonly ManualResetEventSlim release = new();

        private FinalizerHold()
        {
        }

        public static FinalizerHold Start()
        {
            var hold = new FinalizerHold();
            using var entered = new ManualResetEventSlim();
            Abandon(hold.release, entered);
            GC.Collect();
            Assert.True(entered.Wait(TimeSpan.FromSeconds(30)), "the finalizer thread did not pick up the hold");
            return hold;
        }

        public void Dispose()
        {
            release.Set();
            GC.WaitForPendingFinalizers();
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private static void Abandon(ManualResetEventSlim release, ManualResetEventSlim entered) => _ = new Blocker(release, entered);

        private sealed class Blocker(ManualResetEventSlim release, ManualResetEventSlim entered)
        {
            ~Blocker()
            {
                entered.Set();
                release.Wait();
            }
        }
    }

    private static long Rss()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }
}
