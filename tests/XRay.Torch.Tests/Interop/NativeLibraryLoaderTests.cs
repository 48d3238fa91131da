using System.Diagnostics;
using XRay.TestSupport;

namespace XRay.Torch.Tests;

/// <summary>libxray_native.so is found next to XRay.Torch.dll whatever the working directory.</summary>
public class NativeLibraryLoaderTests
{
    [Fact]
    public void The_native_library_sits_next_to_the_managed_assembly()
    {
        var folder = Path.GetDirectoryName(typeof(torch).Assembly.Location)!;
        Assert.True(File.Exists(Path.Combine(folder, "libxray_native.so")));
    }

    /// <summary>A fresh process started in an unrelated folder (as a notebook kernel is) loads the engine.</summary>
    [Fact]
    public void A_process_started_elsewhere_loads_the_engine()
    {
        var cli = Path.Combine(Repository.Root(), "artifacts", "bin", "XRay.Cli");
        var dll = Directory.Exists(cli) ? Directory.GetFiles(cli, "XRay.Cli.dll", SearchOption.AllDirectories).FirstOrDefault() : null;
        Assert.True(dll is not null, $"XRay.Cli.dll not built under {cli}");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetTempPath(), RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll!);
        start.ArgumentList.Add("info");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, output);
        Assert.Contains("libtorch " + __version__, output);
    }

    /// <summary>
    /// The loader tells glibc to keep freed large blocks (xr_runtime_keep_freed_memory), so a training step's
    /// activations are reused instead of being unmapped and faulted in again each step. That effect shows on the main
    /// thread, where training runs, so tests/XRay.Bench.Tests checks it in a fresh process; here, that it was applied.
    /// </summary>
    [Fact]
    public void The_loader_keeps_freed_memory_for_reuse()
    {
        _ = __version__; // loads the library
        Assert.True(Interop.NativeLibraryLoader.KeepsFreedMemory);
    }
}
