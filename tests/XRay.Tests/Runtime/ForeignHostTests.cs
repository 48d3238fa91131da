using System.Diagnostics;

namespace XRay.Tests.Runtime;

/// <summary>
/// A notebook kernel loads XRay.dll from the notebook's #r path, not from its own folder, so .NET's native probing never
/// sees XRay's runtimes/ folder. This builds a tiny host that does the same (AssemblyResolve into another folder) and
/// checks that TorchSharp's patched native library, OpenCvSharp's, SQLite's and ML.NET's (LightGBM, FastTree) load from
/// next to XRay.dll.
/// </summary>
public class ForeignHostTests
{
    private const string Project = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings><Nullable>enable</Nullable></PropertyGroup>
        </Project>
        """;

    private const string Program = """
        using System.Reflection;
        var lib = args[0];
        AppDomain.CurrentDomain.AssemblyResolve += (_, e) =>
        {
            var path = Path.Combine(lib, new AssemblyName(e.Name).Name + ".dll");
            return File.Exists(path) ? Assembly.LoadFrom(path) : null;
        };
        var runtime = Assembly.LoadFrom(Path.Combine(lib, "XRay.dll")).GetType("XRay.Runtime.TorchRuntime")!;
        var facts = (IReadOnlyDictionary<string, string>)runtime.GetMethod("Describe")!.Invoke(null, null)!; // calls into libtorch
        Console.WriteLine("native=" + runtime.GetProperty("NativeLibraryPath")!.GetValue(null));
        Console.WriteLine("threads=" + facts["threads"]);
        Console.WriteLine("libtorch=" + facts["libtorch"]);
        Console.WriteLine("opencv=" + facts["OpenCV"]);
        Console.WriteLine("pool=" + facts["tensor memory pool"]);
        // A model whose dense layer (4.7 MB) lives in the tensor memory pool, alive when the process exits: libtorch's
        // destructors may free it after .NET has shut down, and the exit must still be clean.
        var factory = Assembly.LoadFrom(Path.Combine(lib, "XRay.dll")).GetType("XRay.Models.ModelFactory")!;
        var create = factory.GetMethod("Create", new[] { typeof(string), typeof(int), typeof(int), typeof(int), typeof(int), typeof(long?) })!;
        var model = create.Invoke(null, new object?[] { "blog-cnn", 1, 150, 150, 2, 0L });
        var pool = Assembly.LoadFrom(Path.Combine(lib, "XRay.dll")).GetType("XRay.Runtime.TensorMemoryPool")!;
        var stats = pool.GetMethod("Statistics")!.Invoke(null, null)!;
        Console.WriteLine("pool_live_bytes=" + stats.GetType().GetProperty("LiveBytes")!.GetValue(stats));
        GC.KeepAlive(model);
        // The run log's SQLite, as notebooks 05 and 09 use it.
        var runLog = Assembly.LoadFrom(Path.Combine(lib, "XRay.dll")).GetType("XRay.Training.RunLog")!;
        var log = (IDisposable)runLog.GetMethod("Open")!.Invoke(null, new object[] { Path.Combine(args[1], "runs.sqlite") })!;
        Console.WriteLine("runs=" + ((System.Collections.ICollection)runLog.GetMethod("Runs")!.Invoke(log, null)!).Count);
        log.Dispose();
        // ML.NET's native libraries, looked up by name for the assembly that DllImports them, as LightGBM and FastTree
        // training do: only XRay's fallback over its runtimes/ folder can find them in this host.
        foreach (var (importer, name, export) in new[] { ("Microsoft.ML.LightGbm", "lib_lightgbm", "LGBM_GetLastError"), ("Microsoft.ML.FastTree", "FastTreeNative", "C_GetDerivatives") })
        {
            var assembly = Assembly.LoadFrom(Path.Combine(lib, importer + ".dll"));
            try
            {
                var handle = System.Runtime.InteropServices.NativeLibrary.Load(name, assembly, null);
                Console.WriteLine($"{name}=" + (System.Runtime.InteropServices.NativeLibrary.TryGetExport(handle, export, out _) ? "loaded" : "no " + export));
            }
            catch (DllNotFoundException e)
            {
                Console.WriteLine($"{name}=missing: {e.Message}");
            }
        }
        """;

    [Fact]
    public void A_host_that_loads_xray_from_another_folder_gets_the_patched_native_library()
    {
        var lib = Path.GetDirectoryName(typeof(ForeignHostTests).Assembly.Location)!;
        var folder = TestFiles.TempFolder();
        try
        {
            File.WriteAllText(Path.Combine(folder, "host.csproj"), Project);
            File.WriteAllText(Path.Combine(folder, "Program.cs"), Program);
            var output = Path.Combine(folder, "out");
            Run("dotnet", folder, "build", "-c", "Release", "-o", output, "--nologo", "-v", "q");
            Assert.False(Directory.Exists(Path.Combine(output, "runtimes")), "the host must have no native libraries of its own");
            var printed = Run("dotnet", folder, Path.Combine(output, "host.dll"), lib, folder);
            Assert.Contains("native=" + Path.Combine(lib, "runtimes", "linux-x64", "native", "libLibTorchSharp.so"), printed);
            Assert.Matches(@"threads=\d+", printed);
            Assert.Contains("libtorch=2.10", printed);
            Assert.Contains("opencv=4.13", printed);
            Assert.Contains("pool=yes", printed);
            Assert.Matches(@"pool_live_bytes=[1-9]\d{6,}", printed); // at least a megabyte live at exit, and a clean exit
            Assert.Contains("runs=0", printed);
            Assert.Contains("lib_lightgbm=loaded", printed);
            Assert.Contains("FastTreeNative=loaded", printed);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    private static string Run(string file, string folder, params string[] args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(180_000), $"{file} {string.Join(' ', args)} did not finish in 3 minutes");
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} failed ({process.ExitCode}):\n{stdout}\n{stderr.Result}");
        return stdout;
    }
}
