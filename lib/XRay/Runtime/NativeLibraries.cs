using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace XRay.Runtime;

/// <summary>
/// Loads a package's native library by full path from where our assemblies are, before the package's own
/// DllImport looks for it by name. .NET probes a package's runtimes/RID/native folder only for the app's own
/// dependencies (deps.json); a notebook kernel that loads XRay.dll from the notebook's #r path is another app, and
/// would not find TorchSharp's or OpenCvSharp's libraries. Once a library with a SONAME is loaded, glibc answers the
/// later lookup by name with it.
/// </summary>
internal static class NativeLibraries
{
    /// <summary>
    /// Loads <paramref name="file"/> from next to <paramref name="owner"/>'s assembly, next to XRay.dll, or next to the
    /// app (portable runtimes/linux-x64/native layout first, then flat); returns the path loaded, or null when no
    /// candidate exists (the package's own loader then reports what it tried). Linux only; a no-op elsewhere.
    /// </summary>
    public static string? Preload(string file, Assembly owner, Func<DllNotFoundException, string> hint)
    {
        if (!OperatingSystem.IsLinux()) return null;
        foreach (var path in Candidates(file, owner).Distinct())
        {
            if (!File.Exists(path)) continue;
            try
            {
                NativeLibrary.Load(path);
                return path;
            }
            catch (DllNotFoundException e)
            {
                throw new DllNotFoundException($"The native library '{path}' did not load: {e.Message}. {hint(e)}", e);
            }
        }
        return null;
    }

    /// <summary>OpenCvSharp's native library: before Cv's first call, and before TorchRuntime asks OpenCV its version.</summary>
    public static void PreloadOpenCv() => Preload("libOpenCvSharpExtern.so", typeof(OpenCvSharp.Cv2).Assembly,
        _ => "OpenCvSharp's runtime needs libgtk-3-0, libatomic1 and libdrm2: ./build.sh setup installs them (environment.md).");

    /// <summary>
    /// For a library without a SONAME (SQLite's libe_sqlite3.so), which glibc cannot match by name after a preload:
    /// resolves <paramref name="importer"/>'s DllImport of <paramref name="name"/> to our copy by full path. Does
    /// nothing if the importer already has a resolver, or where no candidate exists.
    /// </summary>
    public static void ResolveByPath(Assembly importer, string name, string file)
    {
        if (!OperatingSystem.IsLinux()) return;
        var path = Candidates(file, importer).FirstOrDefault(File.Exists);
        if (path is null) return;
        try
        {
            NativeLibrary.SetDllImportResolver(importer, (library, _, _) =>
                library == name || library == file ? NativeLibrary.Load(path) : IntPtr.Zero);
        }
        catch (InvalidOperationException)
        {
            // The package set its own resolver: it knows where its library is.
        }
    }

    private static readonly ConditionalWeakTable<AssemblyLoadContext, object> Watched = new();
    private static int fallbackInstalled;

    /// <summary>
    /// The general case of <see cref="Preload"/>: when .NET's own probing finds no native library for a DllImport, looks
    /// for it in XRay's folder, under runtimes/linux-x64/native first. That is where the build copies every package's
    /// native assets (ML.NET's lib_lightgbm and FastTreeNative, ONNX Runtime's onnxruntime), and what an app's deps.json
    /// would have told the runtime; a kernel that loads XRay.dll by path has no such entries, so without this LightGBM
    /// fails with DllNotFoundException in VS Code and Jupyter. The handler is added to every assembly load context,
    /// present and future, because Roslyn's script loader (the notebook kernels') gives each assembly it loads from a
    /// path a context of its own. It runs only after the usual lookup failed, so an app that resolves these itself is
    /// unaffected. Installed once per process; Linux only.
    /// </summary>
    public static void ResolveMissingFromOurFolder()
    {
        if (!OperatingSystem.IsLinux() || Interlocked.Exchange(ref fallbackInstalled, 1) == 1) return;
        AppDomain.CurrentDomain.AssemblyLoad += (_, e) => Watch(AssemblyLoadContext.GetLoadContext(e.LoadedAssembly));
        Watch(AssemblyLoadContext.Default);
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies()) Watch(AssemblyLoadContext.GetLoadContext(assembly));
    }

    private static void Watch(AssemblyLoadContext? context)
    {
        if (context is null) return;
        lock (Watched)
        {
            if (Watched.TryGetValue(context, out _)) return;
            Watched.Add(context, new object());
        }
        context.ResolvingUnmanagedDll += (importer, name) => Resolve(name, importer);
    }

    /// <summary>
    /// The library a DllImport of <paramref name="name"/> means, from our folders: with the .so suffix, and with the lib
    /// prefix too, as .NET's own probing tries them. Zero when none exists or none loads (the runtime
    /// then throws its own DllNotFoundException, which names what it tried).
    /// </summary>
    internal static IntPtr Resolve(string name, Assembly importer)
    {
        if (Path.GetFileName(name) != name) return IntPtr.Zero; // a path: the importer meant that file and no other
        var fileNames = name.Contains(".so", StringComparison.Ordinal) ? new[] { name } : new[] { name + ".so", "lib" + name + ".so" };
        foreach (var path in fileNames.SelectMany(f => Candidates(f, importer)).Distinct())
        {
            if (File.Exists(path) && NativeLibrary.TryLoad(path, out var handle)) return handle;
        }
        return IntPtr.Zero;
    }

    private static IEnumerable<string> Candidates(string file, Assembly owner)
    {
        var folders = new[] { owner.Location, typeof(NativeLibraries).Assembly.Location }
            .Where(l => !string.IsNullOrEmpty(l))
            .Select(l => Path.GetDirectoryName(l)!)
            .Append(AppContext.BaseDirectory);
        foreach (var folder in folders)
        {
            yield return Path.GetFullPath(Path.Combine(folder, "runtimes", "linux-x64", "native", file));
            yield return Path.GetFullPath(Path.Combine(folder, file));
        }
    }
}
