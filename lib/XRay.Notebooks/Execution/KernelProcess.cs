using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace XRay.Notebooks.Execution;

/// <summary>
/// The parent's side of one notebook's kernel process (XRay.Notebooks.dll <c>--kernel-process</c>): starts it with the
/// cells, hands out its messages, and kills it (with its children) when a cell runs past its timeout, since
/// cancellation does not stop blocking code in the kernel.
/// </summary>
internal sealed class KernelProcess : IAsyncDisposable
{
    private const int StderrLines = 40;
    private readonly Process process;
    private readonly Channel<JsonObject> messages = Channel.CreateUnbounded<JsonObject>();
    private readonly Queue<string> stderr = new();
    private readonly Task reading;

    private KernelProcess(Process process)
    {
        this.process = process;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stderr)
            {
                stderr.Enqueue(e.Data);
                if (stderr.Count > StderrLines) stderr.Dequeue();
            }
        };
        process.BeginErrorReadLine();
        reading = Task.Run(ReadAsync);
    }

    public static KernelProcess Start(string folder, IReadOnlyList<string> cells)
    {
        var assembly = typeof(KernelProcess).Assembly.Location;
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(assembly);
        start.ArgumentList.Add(WorkerProtocol.WorkerArgument);
        // Cells run on threads other than the main one: one shared heap keeps a training step's large blocks for reuse
        // there too (XRay.Runtime.GlibcAllocator; what it saves: bench/README.md, "Training off the main thread").
        XRay.Runtime.GlibcAllocator.ShareOneArena(start.Environment);
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the kernel process.");
        var request = new JsonObject
        {
            ["folder"] = folder,
            ["cells"] = new JsonArray(cells.Select(c => (JsonNode?)c).ToArray()),
        };
        process.StandardInput.Write(request.ToJsonString());
        process.StandardInput.Close();
        return new KernelProcess(process);
    }

    /// <summary>The next message, or null when the process ended; throws OperationCanceledException on <paramref name="cancel"/>.</summary>
    public async Task<JsonObject?> NextAsync(CancellationToken cancel)
    {
        try
        {
            return await messages.Reader.ReadAsync(cancel);
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    /// <summary>Why the process ended without finishing: its exit code and the end of its stderr.</summary>
    public string ExitReport()
    {
        process.WaitForExit(5000);
        var code = process.HasExited ? process.ExitCode.ToString() : "unknown";
        lock (stderr) return $"The kernel process ended (exit code {code}).\n" + string.Join("\n", stderr);
    }

    public void Kill()
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private async Task ReadAsync()
    {
        try
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
                if (WorkerProtocol.Decode(line) is { } message) messages.Writer.TryWrite(message);
        }
        finally
        {
            messages.Writer.TryComplete();
        }
    }

    // The dotnet host of the running runtime (…/dotnet/shared/Microsoft.NETCore.App/10.0.x/ → …/dotnet/dotnet).
    private static string DotnetHost()
    {
        var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var host = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(host) ? host : "dotnet";
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await process.WaitForExitAsync();
        await reading;
        process.Dispose();
    }
}
