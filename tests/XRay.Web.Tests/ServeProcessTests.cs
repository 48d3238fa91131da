using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using XRay.TestSupport;

namespace XRay.Web.Tests;

/// <summary>`xray serve` as a user runs it: the built command in its own process, on 127.0.0.1, stopped by SIGINT.</summary>
public sealed partial class ServeProcessTests
{
    private const int SIGINT = 2;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    [GeneratedRegex(@"Listening on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();

    [Fact]
    public async Task Serve_answers_healthz_and_50_concurrent_requests_alike_then_stops_on_sigint()
    {
        var xray = Path.Combine(Repository.Root(), "artifacts", "bin", "XRay.Cli", "release", "xray");
        Assert.True(File.Exists(xray), $"{xray} is missing: run ./build.sh build.");
        var start = new ProcessStartInfo(xray) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "serve", "--checkpoint", TrainedCheckpoint.Instance.Checkpoint, "--port", "0", "--replicas", "2" })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            var url = await AddressAsync(process, TimeSpan.FromSeconds(60));
            using var client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
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

            Assert.Equal(0, kill(process.Id, SIGINT));
            // The bound only keeps a hung server from hanging the suite: how fast it stops depends on the machine's load.
            Assert.True(await WaitAsync(process, TimeSpan.FromSeconds(60)), "xray serve did not stop within 60 s of SIGINT");
            Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}: {await stderr}");
            Assert.Contains("Stopped.", await process.StandardOutput.ReadToEndAsync());
        }
        finally
        {
            if (!process.HasExited) process.Kill();
        }
    }

    private static async Task<string> AddressAsync(Process process, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var seen = new List<string>();
        while (await process.StandardOutput.ReadLineAsync(cancel.Token) is { } line)
        {
            seen.Add(line);
            if (Listening().Match(line) is { Success: true } m) return m.Groups[1].Value;
        }
        throw new InvalidOperationException($"xray serve exited ({process.ExitCode}) without an address: {string.Join('\n', seen)}");
    }

    private static async Task<bool> WaitAsync(Process process, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
