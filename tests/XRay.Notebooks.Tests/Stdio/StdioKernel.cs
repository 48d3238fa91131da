using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using XRay.TestSupport;

namespace XRay.Notebooks.Tests.Stdio;

/// <summary>What one submission produced: whether the kernel reported success, and what it said on the way.</summary>
public sealed record StdioSubmission(bool Succeeded, string? Failure, IReadOnlyList<string> Errors, IReadOnlyList<string> Stdout, TimeSpan Duration)
{
    /// <summary>Why the cell failed, with the kernel's error events and diagnostics.</summary>
    public string Report() => string.Join("\n", new[] { Failure }.Concat(Errors).Where(s => !string.IsNullOrWhiteSpace(s)));
}

/// <summary>
/// The kernel VS Code's Polyglot Notebooks starts: <c>dotnet tool run dotnet-interactive -- stdio</c> (the repo's tool
/// manifest), in the notebook's folder, spoken to in its JSON-lines protocol: one KernelCommandEnvelope per line on
/// stdin (<c>{"token","commandType":"SubmitCode","command":{"code","targetKernelName"}}</c>), KernelEventEnvelopes back on
/// stdout. A submission ends with CommandSucceeded or CommandFailed carrying its token. Unlike <c>xray notebook run</c>,
/// nothing of ours hosts the kernel: it resolves the library only through the notebooks' <c>#r</c> of a DLL path, as
/// VS Code and Jupyter do.
/// </summary>
public sealed class StdioKernel : IAsyncDisposable
{
    private readonly Process process;
    private readonly Channel<JsonObject> events = Channel.CreateUnbounded<JsonObject>();
    private readonly Queue<string> stderr = new();
    private readonly Task reading;
    private int nextToken;

    private StdioKernel(Process process)
    {
        this.process = process;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stderr)
            {
                stderr.Enqueue(e.Data);
                if (stderr.Count > 40) stderr.Dequeue();
            }
        };
        process.BeginErrorReadLine();
        reading = Task.Run(ReadAsync);
    }

    /// <summary>Starts a fresh kernel in <paramref name="folder"/> and waits for its KernelReady event.</summary>
    public static async Task<StdioKernel> StartAsync(string folder, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "tool", "run", "dotnet-interactive", "--", "stdio", "--working-dir", folder })
            start.ArgumentList.Add(arg);
        start.Environment["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        // Whatever our own test host set for itself (the allocator's tunables) is not what VS Code passes on.
        start.Environment.Remove("GLIBC_TUNABLES");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        var kernel = new StdioKernel(Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet-interactive."));
        try
        {
            using var cancel = new CancellationTokenSource(timeout);
            while (true)
            {
                var e = await kernel.NextAsync(cancel.Token)
                        ?? throw new InvalidOperationException($"dotnet-interactive stdio exited ({kernel.ExitCode}) before KernelReady:\n{kernel.Stderr()}");
                if ((string?)e["eventType"] == "KernelReady") return kernel;
            }
        }
        catch (OperationCanceledException)
        {
            await kernel.DisposeAsync();
            throw new TimeoutException($"dotnet-interactive stdio sent no KernelReady within {timeout.TotalSeconds:0} s:\n{kernel.Stderr()}");
        }
        catch
        {
            await kernel.DisposeAsync();
            throw;
        }
    }

    /// <summary>Submits <paramref name="code"/> to <paramref name="kernelName"/> and collects its events until it ends.</summary>
    public async Task<StdioSubmission> SubmitAsync(string code, string kernelName, TimeSpan timeout)
    {
        var token = $"xray-{++nextToken}";
        var envelope = new JsonObject
        {
            ["token"] = token,
            ["commandType"] = "SubmitCode",
            ["command"] = new JsonObject { ["code"] = code, ["targetKernelName"] = kernelName },
        };
        await process.StandardInput.WriteLineAsync(envelope.ToJsonString());
        await process.StandardInput.FlushAsync();

        var clock = Stopwatch.StartNew();
        var (errors, stdout) = (new List<string>(), new List<string>());
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var e = await NextAsync(cancel.Token);
                if (e is null) return new StdioSubmission(false, $"the kernel exited ({ExitCode}):\n{Stderr()}", errors, stdout, clock.Elapsed);
                var ofThis = e["command"]?["token"]?.GetValue<string>() is { } t && (t == token || t.StartsWith(token + ".", StringComparison.Ordinal));
                if (!ofThis) continue;
                var body = e["event"];
                switch ((string?)e["eventType"])
                {
                    case "CommandSucceeded" when (string?)e["command"]!["token"] == token:
                        return new StdioSubmission(true, null, errors, stdout, clock.Elapsed);
                    case "CommandFailed" when (string?)e["command"]!["token"] == token:
                        return new StdioSubmission(false, (string?)body?["message"] ?? "CommandFailed", errors, stdout, clock.Elapsed);
                    case "ErrorProduced":
                        errors.Add((string?)body?["message"] ?? body?.ToJsonString() ?? "");
                        break;
                    case "StandardErrorValueProduced":
                        errors.AddRange(Values(body));
                        break;
                    case "StandardOutputValueProduced":
                        stdout.AddRange(Values(body));
                        break;
                    case "DiagnosticsProduced":
                        errors.AddRange(body?["diagnostics"]?.AsArray()
                            .Where(d => (string?)d?["severity"] == "error")
                            .Select(d => $"{d!["code"]}: {d["message"]}") ?? Enumerable.Empty<string>());
                        break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return new StdioSubmission(false, $"no answer within {timeout.TotalSeconds:0} s", errors, stdout, clock.Elapsed);
        }
    }

    private static IEnumerable<string> Values(JsonNode? body) =>
        body?["formattedValues"]?.AsArray().Select(v => (string?)v?["value"] ?? "") ?? Enumerable.Empty<string>();

    private async Task<JsonObject?> NextAsync(CancellationToken cancel)
    {
        try
        {
            return await events.Reader.ReadAsync(cancel);
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    private async Task ReadAsync()
    {
        try
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (!line.StartsWith('{')) continue; // the tool's welcome text, before the protocol starts
                JsonObject? e;
                try { e = JsonNode.Parse(line) as JsonObject; }
                catch (JsonException) { continue; }
                if (e is not null) await events.Writer.WriteAsync(e);
            }
        }
        finally
        {
            events.Writer.TryComplete();
        }
    }

    private int? ExitCode => process.HasExited ? process.ExitCode : null;

    private string Stderr()
    {
        lock (stderr) return string.Join("\n", stderr);
    }

    public async ValueTask DisposeAsync()
    {
        try { process.StandardInput.Close(); } catch (IOException) { }
        if (!process.WaitForExit(TimeSpan.FromSeconds(5)) && !process.HasExited) process.Kill(entireProcessTree: true);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try { await process.WaitForExitAsync(cancel.Token); } catch (OperationCanceledException) { }
        try { await reading; } catch (Exception) { }
        process.Dispose();
    }
}
