namespace XRay.TestSupport;

/// <summary>
/// The one folder under /tmp that holds every temporary folder a test process makes (<see cref="TestFiles.TempFolder"/>),
/// so that the process leaves nothing behind.
/// </summary>
internal static class TestTempRoot
{
    private const string RootPrefix = "xray-tests-";

    // Every folder a test process asks for lies under one root of its own, /tmp/xray-tests-PID-*, deleted when the
    // process exits; a root whose process is gone (killed, crashed) is deleted by the next test process that starts.
    private static readonly Lazy<string> Root = new(() =>
    {
        SweepRootsOfEndedProcesses();
        var root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{RootPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(root);
        DeleteWhenGone(root);
        return root;
    });

    /// <summary>This process's root, made on first use.</summary>
    public static string Path => Root.Value;

    // The test host is sometimes ended without ProcessExit (killed after the run when a thread lingers): a shell outside
    // it waits for it to go and deletes the root then.
    private static void DeleteWhenGone(string root)
    {
        if (!File.Exists("/bin/sh")) return;
        var start = new System.Diagnostics.ProcessStartInfo("/bin/sh")
        {
            // Its own pipes, not the host's: whoever reads the host's output must not wait for the shell.
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var a in new[] { "-c", "while kill -0 \"$0\" 2>/dev/null; do sleep 1; done; rm -rf -- \"$1\"", Environment.ProcessId.ToString(), root })
            start.ArgumentList.Add(a);
        try
        {
            System.Diagnostics.Process.Start(start)?.Dispose();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No shell: the next test process sweeps the root.
        }
    }

    private static void SweepRootsOfEndedProcesses()
    {
        foreach (var dir in Directory.EnumerateDirectories(System.IO.Path.GetTempPath(), RootPrefix + "*-*"))
        {
            var pid = System.IO.Path.GetFileName(dir)[RootPrefix.Length..].Split('-')[0];
            if (int.TryParse(pid, out var id) && id != Environment.ProcessId && !IsRunning(id)) TryDelete(dir);
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false; // no such process
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Another user's, or still in use: left for a later sweep.
        }
    }
}
