using System.Runtime.InteropServices;

namespace XRay.Runtime;

/// <summary>
/// With glibc's defaults, every tensor over 128 KiB is mmap'ed and unmapped again, so a training step page-faults its
/// large activations afresh each time, which costs seed 002's CNN a large share of its training speed (bench/README.md,
/// "Three fixes the benchmark found", 1). MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=2147483647 keep them for reuse; this
/// applies the same settings once, in process, through mallopt. Opt out with XRAY_KEEP_FREED_MEMORY=0 (memory is then returned to the system after a
/// peak), or by setting any MALLOC_* variable yourself.
/// <para>
/// Those settings reach only the main thread's heap for blocks over 64 MB: on any other thread glibc serves such a
/// block from a fresh mmap whatever mallopt says (a per-thread heap holds at most 64 MB), and that is where a notebook
/// kernel runs its cells, and training there is much slower (bench/README.md, "Training off the main
/// thread", has the numbers). Two remedies, in order of preference:
/// <list type="bullet">
/// <item>Processes we start for notebook code (<c>xray notebook run</c>'s kernel, the Jupyter kernelspec that
/// <c>./build.sh jupyter</c> writes) get <see cref="SharedArenaTunable"/> in their environment: every thread then shares
/// the main heap, which keeps blocks of any size.</item>
/// <item>Elsewhere (VS Code's kernel, say), when XRay is first used on a thread other than the main one and threads
/// have heaps of their own, <see cref="UseHugePagesOffTheMainThread"/> asks libtorch to put tensors of 2 MB and more on
/// transparent huge pages (its THP_MEM_ALLOC_ENABLE, read at its first large allocation), so a fresh 200 MB block
/// takes about 100 page faults instead of 50,000.</item>
/// </list>
/// </para>
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

    /// <summary>
    /// The glibc tunable that makes every thread share the main heap (no per-thread arenas), for the environment of a
    /// process we start; glibc reads it only at process start.
    /// </summary>
    public const string SharedArenaTunable = "glibc.malloc.arena_max=1";

    /// <summary>Adds <see cref="SharedArenaTunable"/> to a process environment, keeping any tunables already there.</summary>
    public static void ShareOneArena(IDictionary<string, string?> environment)
    {
        environment.TryGetValue("GLIBC_TUNABLES", out var tunables);
        if (HasSharedArena(tunables, environment.TryGetValue("MALLOC_ARENA_MAX", out var max) ? max : null)) return;
        environment["GLIBC_TUNABLES"] = string.IsNullOrEmpty(tunables) ? SharedArenaTunable : $"{tunables}:{SharedArenaTunable}";
    }

    /// <summary>Whether this process was started with one malloc arena for all threads.</summary>
    public static bool SharesOneArena =>
        HasSharedArena(Environment.GetEnvironmentVariable("GLIBC_TUNABLES"), Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX"));

    /// <summary>Whether libtorch was asked to put large tensors on transparent huge pages (see the class remarks).</summary>
    public static bool HugePagesOffTheMainThread { get; private set; }

    /// <summary>
    /// When called on a thread other than the process's main one, in a process whose threads have heaps of their own,
    /// on a kernel with transparent huge pages: sets libtorch's THP_MEM_ALLOC_ENABLE=1 in the native environment, which
    /// libtorch reads once, at its first large allocation, so call it before any tensor exists. Leaves a value the user
    /// set alone, and so does any MALLOC_* variable; XRAY_KEEP_FREED_MEMORY=0 turns it off with the rest. Returns whether
    /// it is in force.
    /// </summary>
    public static bool UseHugePagesOffTheMainThread()
    {
        if (HugePagesOffTheMainThread) return true;
        if (OptedOut || Environment.GetEnvironmentVariable("THP_MEM_ALLOC_ENABLE") is not null || SharesOneArena) return false;
        if (!TransparentHugePagesAvailable()) return false;
        try
        {
            if (gettid() == Environment.ProcessId) return false; // the main thread's heap keeps large blocks already
            HugePagesOffTheMainThread = setenv("THP_MEM_ALLOC_ENABLE", "1", 0) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            HugePagesOffTheMainThread = false; // not glibc
        }
        return HugePagesOffTheMainThread;
    }

    /// <summary>
    /// Not Linux, XRAY_KEEP_FREED_MEMORY=0, or any MALLOC_* variable (the user tunes glibc's allocator): then we leave
    /// glibc's and libtorch's allocation settings alone.
    /// </summary>
    private static bool OptedOut =>
        !OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("XRAY_KEEP_FREED_MEMORY") == "0"
        || Environment.GetEnvironmentVariables().Keys.Cast<string>().Any(k => k.StartsWith("MALLOC_", StringComparison.Ordinal));

    private static bool HasSharedArena(string? tunables, string? mallocArenaMax) =>
        mallocArenaMax == "1" || (tunables ?? "").Split(':').Contains(SharedArenaTunable, StringComparer.Ordinal);

    /// <summary>"always" or "madvise" in /sys/kernel/mm/transparent_hugepage/enabled (the bracketed word is in force).</summary>
    private static bool TransparentHugePagesAvailable()
    {
        try
        {
            var mode = File.ReadAllText("/sys/kernel/mm/transparent_hugepage/enabled");
            return mode.Contains("[always]", StringComparison.Ordinal) || mode.Contains("[madvise]", StringComparison.Ordinal);
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }

    /// <summary>Whether glibc was told to keep freed memory for reuse.</summary>
    public static bool KeepsFreedMemory { get; private set; }

    /// <summary>Applies the settings unless opted out; returns whether they are in force.</summary>
    public static bool KeepFreedMemory()
    {
        if (KeepsFreedMemory) return true;
        if (OptedOut) return false;
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

    [LibraryImport("libc.so.6", EntryPoint = "gettid")]
    private static partial int gettid();

    [LibraryImport("libc.so.6", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);
}
