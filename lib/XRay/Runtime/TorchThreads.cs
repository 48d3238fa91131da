using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using TorchSharp;

namespace XRay.Runtime;

/// <summary>
/// Parallel loops on libtorch's own OpenMP threads, the ones <c>at::parallel_for</c> uses (DropoutNoise and
/// ReluMaxPool run their kernels here).
/// <para>
/// Why: after each of its ops, libtorch's OpenMP threads keep spinning on their cores for a while, waiting for the next
/// one. A .NET <c>Parallel.For</c> started right after an op finds those cores busy: ReLU + max pooling over seed 002's
/// first block (32 x 32 x 148 x 148, bf16, 2 threads) took 2.6-15.6 ms that way, 4.1-4.5 ms on one thread, and
/// 2.1-2.2 ms here (bench/README.md, "ReLU and max pooling in one pass").
/// </para>
/// <para>
/// How: <c>GOMP_parallel</c>, what <c>#pragma omp parallel</c> compiles to, from the libgomp that libtorch loaded, with a
/// C# function as the parallel region: each thread of libtorch's team takes chunks of the range until none is left.
/// Where libtorch runs without libgomp (macOS, Windows), or inside a parallel region already, the loop runs on the
/// .NET thread pool or on the calling thread.
/// </para>
/// </summary>
public static unsafe class TorchThreads
{
    private sealed class Functions(nint parallel, nint inParallel, string library)
    {
        public delegate* unmanaged<delegate* unmanaged<nint, void>, nint, uint, uint, void> Parallel { get; } =
            (delegate* unmanaged<delegate* unmanaged<nint, void>, nint, uint, uint, void>)parallel;
        public delegate* unmanaged<int> InParallel { get; } = (delegate* unmanaged<int>)inParallel;
        public string Library { get; } = library;
    }

    private static readonly Lazy<Functions?> Native = new(Bind);

    /// <summary>The OpenMP library whose threads run the loops, or null where they run on the .NET thread pool.</summary>
    public static string? OpenMpLibrary => Native.Value?.Library;

    /// <summary>What `xray info` says about it.</summary>
    public static string Describe() => OpenMpLibrary is { } library
        ? $"libtorch's OpenMP threads ({Path.GetFileName(library)})"
        : "the .NET thread pool (this libtorch runs without libgomp)";

    /// <summary>
    /// Calls <paramref name="body"/>(start, end) over [0, <paramref name="count"/>) in chunks, on libtorch's threads
    /// (<c>torch.get_num_threads()</c> of them), and returns when every chunk is done. The chunks are disjoint and
    /// cover the range; their order and thread are not fixed. The first exception a chunk throws stops the chunks not
    /// yet started and is rethrown here.
    /// </summary>
    public static void For(long count, Action<long, long> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (count <= 0) return;
        var threads = Math.Max(1, torch.get_num_threads());
        // A few chunks per thread, so a thread that started late or was interrupted does not hold up the rest.
        var job = new Job(count, (int)Math.Min(count, threads * 8L), body);
        var native = Native.Value;
        if (threads == 1 || job.Chunks == 1 || (native is { } nested && nested.InParallel() != 0))
            job.Run();
        else if (native is { } f)
        {
            var handle = GCHandle.Alloc(job);
            try { f.Parallel(&RunJob, GCHandle.ToIntPtr(handle), (uint)threads, 0); }
            finally { handle.Free(); }
        }
        else
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ => job.Run());
        job.Failure?.Throw();
    }

    private sealed class Job(long count, int chunks, Action<long, long> body)
    {
        private int next;
        private ExceptionDispatchInfo? failure;
        public int Chunks { get; } = chunks;
        public ExceptionDispatchInfo? Failure => failure;

        /// <summary>Takes chunks until none is left (every thread of the region runs this).</summary>
        public void Run()
        {
            int chunk;
            while ((chunk = Interlocked.Increment(ref next) - 1) < Chunks)
            {
                try
                {
                    body(count * chunk / Chunks, count * (chunk + 1) / Chunks);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(e), null);
                    Interlocked.Exchange(ref next, Chunks); // no new chunks
                }
            }
        }
    }

    // The parallel region: libgomp calls it on each thread of the team, the caller's included. Nothing may escape it.
    [UnmanagedCallersOnly]
    private static void RunJob(nint job) => ((Job)GCHandle.FromIntPtr(job).Target!).Run();

    private static Functions? Bind()
    {
        TorchRuntime.EnsureLoaded();
        _ = torch.get_num_threads(); // maps libtorch, and with it its OpenMP library
        var path = LoadedOpenMp();
        if (path is null || !NativeLibrary.TryLoad(path, out var library)) return null;
        if (!NativeLibrary.TryGetExport(library, "GOMP_parallel", out var parallel)
            || !NativeLibrary.TryGetExport(library, "omp_in_parallel", out var inParallel))
            return null;
        return new Functions(parallel, inParallel, path);
    }

    /// <summary>
    /// The libgomp libtorch uses (Linux), or null: the one in libtorch's folder, where TorchSharp's packages put theirs;
    /// otherwise the one mapped, for a libtorch built against the system's. Others may be mapped beside it (ML.NET's
    /// LightGBM maps Debian's libgomp.so.1), and their threads are not libtorch's.
    /// </summary>
    private static string? LoadedOpenMp()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            var mapped = File.ReadLines("/proc/self/maps")
                .Where(l => l.Contains("/libgomp", StringComparison.Ordinal))
                .Select(l => l[l.IndexOf('/', StringComparison.Ordinal)..])
                .Distinct()
                .ToList();
            var folder = TorchRuntime.LoadedLibTorch();
            return mapped.FirstOrDefault(path => folder is not null && Path.GetDirectoryName(path) == folder) ?? mapped.FirstOrDefault();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // no /proc to read: the loops run on the .NET thread pool
        }
    }
}
