using System.Runtime.CompilerServices;
using TorchSharp;

namespace XRay.Runtime;

/// <summary>
/// Takes control of loading TorchSharp's native library before TorchSharp initialises, from wherever XRay.dll is loaded
/// (an app, a test host, or a notebook that <c>#r</c>s it from another folder), and applies this project's runtime
/// defaults: glibc keeps freed blocks (<see cref="GlibcAllocator"/>), large tensors come from the
/// <see cref="TensorMemoryPool"/>, and libtorch uses every core.
/// <para>
/// Why: on Linux the build patches the copy of libLibTorchSharp.so in the output folder (build/MarkVersionNeedWeak.cs);
/// TorchSharp's own fallback loader would instead copy the unpatched file out of the NuGet cache into a cpu/ folder
/// and fail on Debian 12 with "version `GLIBCXX_3.4.32' not found". Loading our copy by its full path first makes
/// every later lookup by name (TorchSharp's, and its DllImports) find the library already loaded.
/// </para>
/// </summary>
public static class TorchRuntime
{
    private const string LibraryFile = "libLibTorchSharp.so";
    private static readonly object Gate = new();
    private static bool loaded;

    /// <summary>The native library this process loaded, or null where TorchSharp's own loader was left to do it.</summary>
    public static string? NativeLibraryPath { get; private set; }

    // Runs when anything in XRay.dll is first used, so callers never have to remember it.
#pragma warning disable CA2255 // A module initializer in a library is exactly what is needed: it must run before TorchSharp's.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Initialize() => EnsureLoaded();

    /// <summary>Loads the native library and applies the defaults, once per process. Safe to call any number of times.</summary>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (loaded) return;
            loaded = true;
            GlibcAllocator.KeepFreedMemory();
            NativeLibraryPath = Preload();
            // Before libtorch allocates anything: the pool takes its large tensors; without it, huge pages soften
            // glibc's fresh mappings off the main thread.
            if (!TensorMemoryPool.Install()) GlibcAllocator.UseHugePagesOffTheMainThread();
            NativeLibraries.ResolveMissingFromOurFolder(); // ML.NET's, ONNX Runtime's: for kernels that #r XRay.dll by path
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OMP_NUM_THREADS")))
                torch.set_num_threads(Environment.ProcessorCount);
        }
    }

    private static string? Preload() =>
        NativeLibraries.Preload(LibraryFile, typeof(torch).Assembly, e => e.Message.Contains("GLIBCXX", StringComparison.Ordinal)
            ? "This copy was not patched for the system's libstdc++: rebuild with ./build.sh build (or dotnet build), " +
              "which marks its GLIBCXX_3.4.32 need weak (see environment.md)."
            : "Check that the libtorch-cpu files next to it are complete (./build.sh build restores them).");

    /// <summary>What a learner needs to know about the engine: TorchSharp, libtorch and OpenCV versions, the device, CUDA, the threads.</summary>
    public static IReadOnlyDictionary<string, string> Engine()
    {
        EnsureLoaded();
        return new Dictionary<string, string>
        {
            ["TorchSharp"] = typeof(torch).Assembly.GetName().Version?.ToString(3) ?? "?",
            ["libtorch"] = LibTorchVersion,
            ["OpenCV"] = OpenCvVersion(),
            ["device"] = Devices.Default.ToString(),
            ["CUDA"] = torch.cuda.is_available() ? $"{torch.cuda.device_count()} device(s)" : "not available",
            ["threads"] = torch.get_num_threads().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    /// <summary>
    /// <see cref="Engine"/> and what troubleshooting needs (`xray info`): where libtorch was loaded from, and the memory
    /// allocator's settings (environment.md, "How TorchSharp's native library loads").
    /// </summary>
    public static IReadOnlyDictionary<string, string> Describe()
    {
        var facts = new Dictionary<string, string>(Engine())
        {
            ["libtorch loaded from"] = LoadedLibTorch() ?? "?",
            ["glibc keeps freed memory"] = GlibcAllocator.KeepsFreedMemory ? "yes" : "no",
            ["tensor memory pool"] = TensorMemoryPool.Enabled ? "yes (tensors of 1 MiB and more)" : "no: " + TensorMemoryPool.NotEnabledReason,
            ["blocks over 64 MB off the main thread"] = LargeBlocksOffTheMainThread(),
            ["dropout noise"] = DropoutNoise.Describe(),
            ["ReLU + max pooling"] = ReluMaxPool.Describe(),
            ["our kernels' threads"] = TorchThreads.Describe(),
        };
        return facts;
    }

    /// <summary>
    /// The folder of the libtorch_cpu.so this process mapped (Linux; null elsewhere). TorchSharp reports the libtorch
    /// version it was built for; where another libtorch was put first on the library path (a CUDA build, bench/gpu),
    /// this says which one runs.
    /// </summary>
    public static string? LoadedLibTorch()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            var line = File.ReadLines("/proc/self/maps").FirstOrDefault(l => l.EndsWith("/libtorch_cpu.so", StringComparison.Ordinal));
            return line is null ? null : Path.GetDirectoryName(line[line.IndexOf('/', StringComparison.Ordinal)..]);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// OpenCV's version, or why its native library didn't load: the torch facts above still hold, and a machine that
    /// only trains (bench/gpu) carries no OpenCV.
    /// </summary>
    private static string OpenCvVersion()
    {
        try
        {
            NativeLibraries.PreloadOpenCv();
            return OpenCvSharp.Cv2.GetVersionString() ?? "unknown";
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or FileNotFoundException)
        {
            return "not loaded: " + (e.InnerException ?? e).Message.Split(". ")[0];
        }
    }

    /// <summary>How glibc serves a training step's largest activations on a thread other than the main one (GlibcAllocator).</summary>
    private static string LargeBlocksOffTheMainThread() =>
        TensorMemoryPool.Enabled ? "kept for reuse (tensor memory pool)"
        : GlibcAllocator.SharesOneArena && GlibcAllocator.KeepsFreedMemory ? "kept for reuse (one shared heap)"
        : GlibcAllocator.HugePagesOffTheMainThread ? "mapped afresh, on huge pages"
        : "mapped afresh";

    /// <summary>libtorch's version as Python prints torch.__version__ ("2.10.0").</summary>
    public static string LibTorchVersion
    {
        get
        {
            var v = torch.__version__;
            return Version.TryParse(v, out var parsed) ? parsed.ToString(3) : v;
        }
    }
}
