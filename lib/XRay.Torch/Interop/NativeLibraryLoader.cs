using System.Reflection;
using System.Runtime.InteropServices;

namespace XRay.Torch.Interop;

/// <summary>
/// Finds libxray_native.so next to XRay.Torch.dll, whatever the working directory, so a notebook that
/// <c>#r</c>s the dll from anywhere loads it. XRAY_NATIVE_LIBRARY overrides the path.
/// </summary>
internal static class NativeLibraryLoader
{
    internal const string LibraryName = "xray_native";
    private const string FileName = "libxray_native.so";

    /// <summary>Called by NativeMethods' static constructor, so it runs before the first native call.</summary>
    internal static void Register() =>
        NativeLibrary.SetDllImportResolver(typeof(NativeLibraryLoader).Assembly, Resolve);

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != LibraryName) return IntPtr.Zero;
        var candidates = Candidates(assembly).ToList();
        foreach (var path in candidates)
        {
            if (!File.Exists(path)) continue;
            var handle = NativeLibrary.Load(path); // throws with dlerror's message, e.g. a missing libtorch
            ApplyDefaults(handle);
            return handle;
        }
        if (NativeLibrary.TryLoad(FileName, assembly, searchPath, out var fallback))
        {
            ApplyDefaults(fallback);
            return fallback;
        }
        throw new DllNotFoundException(
            $"{FileName} was not found (looked in: {string.Join(", ", candidates)}). " +
            "Build it with ./build.sh (or dotnet build without -p:SkipNative=true), " +
            "or set XRAY_NATIVE_LIBRARY to its full path.");
    }

    private static IEnumerable<string> Candidates(Assembly assembly)
    {
        var overridePath = Environment.GetEnvironmentVariable("XRAY_NATIVE_LIBRARY");
        if (!string.IsNullOrEmpty(overridePath)) yield return overridePath;
        if (!string.IsNullOrEmpty(assembly.Location))
            yield return Path.Combine(Path.GetDirectoryName(assembly.Location)!, FileName);
        yield return Path.Combine(AppContext.BaseDirectory, FileName);
    }

    // Through function pointers: a [LibraryImport] call from inside the resolver would resolve the library again.
    private static void ApplyDefaults(IntPtr library)
    {
        ApplyDefaultThreads(library);
        KeepFreedMemory(library);
    }

    /// <summary>
    /// Large tensors are reused from the heap instead of being unmapped and page-faulted in again every training step
    /// (1.5x the CPU training throughput of seed 002's CNN, see bench/README.md). Skipped when the user tunes glibc's
    /// malloc with its own MALLOC_* variables, or opts out with XRAY_KEEP_FREED_MEMORY=0 to give memory back to the
    /// system after a peak.
    /// </summary>
    private static unsafe void KeepFreedMemory(IntPtr library)
    {
        if (Environment.GetEnvironmentVariable("XRAY_KEEP_FREED_MEMORY") == "0") return;
        if (Environment.GetEnvironmentVariables().Keys.Cast<string>().Any(k => k.StartsWith("MALLOC_", StringComparison.Ordinal))) return;
        if (!NativeLibrary.TryGetExport(library, "xr_runtime_keep_freed_memory", out var export)) return;
        int applied;
        if (((delegate* unmanaged<int*, int>)export)(&applied) == 0) KeepsFreedMemory = applied == 1;
    }

    /// <summary>Whether glibc was told to keep freed memory for reuse (see <see cref="KeepFreedMemory"/>).</summary>
    internal static bool KeepsFreedMemory { get; private set; }

    // libtorch picks its own thread count; we default to every core unless the user chose with OMP_NUM_THREADS.
    private static unsafe void ApplyDefaultThreads(IntPtr library)
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OMP_NUM_THREADS"))) return;
        if (!NativeLibrary.TryGetExport(library, "xr_runtime_set_num_threads", out var export)) return;
        ((delegate* unmanaged<int, int>)export)(Environment.ProcessorCount);
    }
}
