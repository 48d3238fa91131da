using System.Runtime.InteropServices;

namespace XRay.Runtime;

/// <summary>
/// With glibc's defaults, every tensor over 128 KiB is mmap'ed and unmapped again, so a training step page-faults its
/// large activations afresh each time: seed 002's CNN (3x150², batch 32, 2 threads) trained at 7.3 img/s, and at
/// 44.7-48.8 img/s with MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=2147483647. This applies the same settings once, in
/// process, through mallopt. Opt out with XRAY_KEEP_FREED_MEMORY=0 (memory is then returned to the system after a
/// peak), or by setting any MALLOC_* variable yourself.
/// </summary>
public static partial class GlibcAllocator
{
    private const int M_TRIM_THRESHOLD = -1;
    private const int M_MMAP_MAX = -4;

    /// <summary>
    /// The same settings as glibc's environment variables, for a process that does not call <see cref="KeepFreedMemory"/>
    /// itself (the benchmark gives them to PyTorch-Python for its like-for-like rows).
    /// </summary>
    public static IReadOnlyDictionary<string, string> EnvironmentVariables { get; } = new Dictionary<string, string>
    {
        ["MALLOC_MMAP_MAX_"] = "0",
        ["MALLOC_TRIM_THRESHOLD_"] = int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Whether glibc was told to keep freed memory for reuse.</summary>
    public static bool KeepsFreedMemory { get; private set; }

    /// <summary>Applies the settings unless opted out; returns whether they are in force.</summary>
    public static bool KeepFreedMemory()
    {
        if (KeepsFreedMemory) return true;
        if (!OperatingSystem.IsLinux()) return false;
        if (Environment.GetEnvironmentVariable("XRAY_KEEP_FREED_MEMORY") == "0") return false;
        if (Environment.GetEnvironmentVariables().Keys.Cast<string>().Any(k => k.StartsWith("MALLOC_", StringComparison.Ordinal))) return false;
        try
        {
            KeepsFreedMemory = mallopt(M_MMAP_MAX, 0) == 1 && mallopt(M_TRIM_THRESHOLD, int.MaxValue) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            KeepsFreedMemory = false; // not glibc (musl, say): nothing to tune
        }
        return KeepsFreedMemory;
    }

    [LibraryImport("libc.so.6", EntryPoint = "mallopt")]
    private static partial int mallopt(int param, int value);
}
