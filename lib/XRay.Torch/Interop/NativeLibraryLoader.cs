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
            ApplyDefaultThreads(handle);
            return handle;
        }
        if (NativeLibrary.TryLoad(FileName, assembly, searchPath, out var fallback))
        {
            ApplyDefaultThreads(fallback);
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

    // libtorch picks its own thread count; we default to every core unless the user chose with OMP_NUM_THREADS.
    private static unsafe void ApplyDefaultThreads(IntPtr library)
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OMP_NUM_THREADS"))) return;
        if (!NativeLibrary.TryGetExport(library, "xr_runtime_set_num_threads", out var export)) return;
        ((delegate* unmanaged<int, int>)export)(Environment.ProcessorCount);
    }
}
