using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using XRay.TestSupport;

namespace XRay.Web.Tests;

/// <summary>
/// `xray serve` as a user runs it: the built command in its own process, on 127.0.0.1, stopped by a signal.
/// <para>
/// Why SIGINT is not always the signal: a shell that starts a job in the background without job control (a CI step, a
/// script's <c>cmd &amp;</c>) sets SIGINT to "ignore"; the test host inherits that, so does the server it starts, and
/// .NET then installs no SIGINT handler. That was the intermittent hang: in such full-suite runs the server never saw
/// the signal. The server says so at start, and the tests stop it with SIGTERM there (what service managers send).
/// </para>
/// </summary>
public sealed partial class ServeProcessTests
{
    private const int SIGINT = 2, SIGTERM = 15;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    [GeneratedRegex(@"Listening on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();

    [Fact]
    public async Task Serve_answers_healthz_and_50_concurrent_requests_alike_logs_each_then_stops_on_sigint()
    {
        await using var server = await Server.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(server.Url), Timeout = TimeSpan.FromSeconds(60) };
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);

        var images = TrainedCheckpoint.Instance.TestImages.Take(2).Select(File.ReadAllBytes).ToArray();
        var requests = Enumerable.Range(0, 50).Select(async i =>
        {
            using var response = await client.PostAsync("/api/predict", ApiTests.Form(images[i % 2], $"{i}.jpg"));
            return (Image: i % 2, response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        });
        var answers = await Task.WhenAll(requests);
        Assert.All(answers, a => Assert.True(a.StatusCode == HttpStatusCode.OK, a.Body));
        foreach (var group in answers.GroupBy(a => a.Image)) Assert.Single(group.Select(a => a.Body).Distinct());

        var signal = Server.SigintIgnoredHere() ? SIGTERM : SIGINT;
        var output = await server.StopAsync(signal);
        Assert.Contains("Stopped.", output);
        // The console log: one line per request, with its status and time.
        Assert.Equal(50, Regex.Count(output, @"POST /api/predict 200 \d+(\.\d)? ms"));
        Assert.Single(Regex.Matches(output, @"GET /healthz 200 \d+(\.\d)? ms"));
        Assert.Matches(@"2 replica\(s\) x \d+ libtorch thread\(s\) each", output);
    }

    [Fact]
    public async Task Sigterm_lets_a_request_in_flight_finish_with_200_then_exits_0()
    {
        await using var server = await Server.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(server.Url), Timeout = TimeSpan.FromSeconds(120) };
        var image = await File.ReadAllBytesAsync(TrainedCheckpoint.Instance.TestImages[0]);
        var body = new SlowStream(image);
        var file = new StreamContent(body); // no length: sent chunked, as the client produces it
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        // A 256 KB text field first: more than the client's write buffer, so the headers and it are on the wire before the
        // image stalls (the server reads past fields it was not asked for).
        var form = new MultipartFormDataContent { { new StringContent(new string('x', 256 * 1024)), "note" }, { file, "image", "x.jpg" } };
        var post = client.PostAsync("/api/predict", form);

        await body.FirstHalfSent.WaitAsync(TimeSpan.FromSeconds(60));
        await Task.Delay(500); // the server has the request's headers: the request is in flight
        Assert.Equal(0, kill(server.Process.Id, SIGTERM));
        await Task.Delay(1000); // the server is stopping while the upload is half sent
        Assert.False(server.Process.HasExited, "xray serve exited with a request in flight");
        body.SendTheRest();

        using var response = await post;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"class\"", await response.Content.ReadAsStringAsync());
        Assert.Contains("Stopped.", await server.WaitForExitAsync());
    }

    /// <summary>An upload body that sends its first half, then waits until told to send the rest.</summary>
    private sealed class SlowStream(byte[] bytes) : Stream
    {
        private readonly TaskCompletionSource firstHalf = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource rest = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int position;

        public Task FirstHalfSent => firstHalf.Task;

        public void SendTheRest() => rest.TrySetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellation = default)
        {
            var half = bytes.Length / 2;
            if (position == half)
            {
                firstHalf.TrySetResult();
                await rest.Task.WaitAsync(cancellation);
            }
            var end = position < half ? half : bytes.Length;
            var n = Math.Min(buffer.Length, end - position);
            bytes.AsMemory(position, n).CopyTo(buffer);
            position += n;
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A running `xray serve` on a free port; its stdout is read all along (the request log must never fill the pipe).</summary>
    private sealed class Server : IAsyncDisposable
    {
        private readonly ConcurrentQueue<string> lines = new();
        private readonly Task<string> stderr;
        private readonly Task reading;

        private Server(Process process, TaskCompletionSource<string> url)
        {
            Process = process;
            stderr = process.StandardError.ReadToEndAsync();
            reading = Task.Run(async () =>
            {
                while (await process.StandardOutput.ReadLineAsync() is { } line)
                {
                    lines.Enqueue(line);
                    if (Listening().Match(line) is { Success: true } m) url.TrySetResult(m.Groups[1].Value);
                }
                url.TrySetException(new InvalidOperationException($"xray serve exited without an address: {string.Join('\n', lines)}"));
            });
        }

        public Process Process { get; }

        public string Url { get; private set; } = "";

        public static async Task<Server> StartAsync()
        {
            var xray = Path.Combine(Repository.Root(), "artifacts", "bin", "XRay.Cli", "release", "xray");
            Assert.True(File.Exists(xray), $"{xray} is missing: run ./build.sh build.");
            var start = new ProcessStartInfo(xray) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "serve", "--checkpoint", TrainedCheckpoint.Instance.Checkpoint, "--port", "0", "--replicas", "2" })
                start.ArgumentList.Add(a);
            var url = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            var server = new Server(Process.Start(start)!, url);
            try
            {
                server.Url = await url.Task.WaitAsync(TimeSpan.FromSeconds(60));
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
            return server;
        }

        /// <summary>Whether this process inherited SIGINT as ignored, which the server it starts inherits too.</summary>
        public static bool SigintIgnoredHere()
        {
            var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
            return (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & (1UL << (SIGINT - 1))) != 0;
        }

        public async Task<string> StopAsync(int signal)
        {
            Assert.Equal(0, kill(Process.Id, signal));
            return await WaitForExitAsync();
        }

        /// <summary>Waits for the process to exit 0 and returns its whole stdout.</summary>
        public async Task<string> WaitForExitAsync()
        {
            // The bound only keeps a hung server from hanging the suite: how fast it stops depends on the machine's load.
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await Process.WaitForExitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"xray serve did not stop within 60 s of the signal; its output: {string.Join('\n', lines)}");
            }
            await reading;
            Assert.True(Process.ExitCode == 0, $"exit code {Process.ExitCode}: {await stderr}");
            return string.Join('\n', lines);
        }

        public async ValueTask DisposeAsync()
        {
            if (!Process.HasExited) Process.Kill();
            await Process.WaitForExitAsync();
            Process.Dispose();
        }
    }
}
