using System.Runtime.InteropServices;
using TorchSharp;
using XRay.Runtime;

namespace XRay.Tests.Runtime;

/// <summary>
/// The build marks libLibTorchSharp.so's GLIBCXX_3.4.32 need weak in the output folder (build/MarkVersionNeedWeak.cs),
/// only where the system libstdc++ lacks it, and never touches the NuGet cache.
/// </summary>
public class LibStdCxxPatchTests
{
    private const string Version = "GLIBCXX_3.4.32";
    private const string SystemLibstdcxx = "/usr/lib/x86_64-linux-gnu/libstdc++.so.6";

    private static string OutputCopy =>
        Path.Combine(Path.GetDirectoryName(typeof(LibStdCxxPatchTests).Assembly.Location)!, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    private static string PackageCopy
    {
        get
        {
            var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p
                ? p : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            var version = typeof(torch).Assembly.GetName().Version!.ToString(3);
            return Path.Combine(packages, "torchsharp", version, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        }
    }

    private static bool SystemLacksVersion => !MarkVersionNeedWeak.Defines(File.ReadAllBytes(SystemLibstdcxx), Version);

    [Fact]
    public void The_output_copy_is_patched_exactly_where_the_system_lacks_the_version_and_the_package_is_untouched()
    {
        Assert.True(File.Exists(OutputCopy), $"{OutputCopy} is missing");
        Assert.True(File.Exists(PackageCopy), $"{PackageCopy} is missing");
        var output = File.ReadAllBytes(OutputCopy);
        var package = File.ReadAllBytes(PackageCopy);
        Assert.False(MarkVersionNeedWeak.IsWeak(package, Version), "the NuGet cache's copy must stay as shipped");
        Assert.Equal(SystemLacksVersion, MarkVersionNeedWeak.IsWeak(output, Version));
        // Nothing else differs: the patch is the one flag bit, two bytes at most.
        Assert.Equal(package.Length, output.Length);
        var differing = Enumerable.Range(0, package.Length).Count(i => package[i] != output[i]);
        Assert.InRange(differing, SystemLacksVersion ? 1 : 0, SystemLacksVersion ? 2 : 0);
    }

    [Fact]
    public void Debian_12s_libstdcxx_stops_at_3_4_30_so_this_machine_needs_the_patch()
    {
        var library = File.ReadAllBytes(SystemLibstdcxx);
        Assert.True(MarkVersionNeedWeak.Defines(library, "GLIBCXX_3.4.30"));
        Assert.False(MarkVersionNeedWeak.Defines(library, "GLIBCXX_3.4.3" + "2"));
        Assert.True(SystemLacksVersion, "this test documents Debian 12; on a newer libstdc++ the patch is simply skipped");
    }

    [Fact]
    public void Patching_sets_only_the_weak_flag_of_that_need_and_is_idempotent()
    {
        var bytes = File.ReadAllBytes(PackageCopy);
        var original = (byte[])bytes.Clone();
        Assert.Equal(1, MarkVersionNeedWeak.MarkWeak(bytes, Version));
        Assert.True(MarkVersionNeedWeak.IsWeak(bytes, Version));
        Assert.False(MarkVersionNeedWeak.IsWeak(bytes, "GLIBCXX_3.4.30")); // other needs stay strong
        var changed = Enumerable.Range(0, bytes.Length).Where(i => bytes[i] != original[i]).ToList();
        Assert.Single(changed);
        Assert.Equal(original[changed[0]] | 0x2, bytes[changed[0]]);
        Assert.Equal(0, MarkVersionNeedWeak.MarkWeak(bytes, Version)); // second run: nothing left to do
    }

    [Fact]
    public void A_file_that_is_not_elf_is_refused_clearly()
    {
        var e = Assert.Throws<InvalidDataException>(() => MarkVersionNeedWeak.MarkWeak(new byte[100], Version));
        Assert.Contains("not an ELF file", e.Message);
        var truncated = File.ReadAllBytes(PackageCopy)[..200];
        Assert.Throws<InvalidDataException>(() => MarkVersionNeedWeak.MarkWeak(truncated, Version));
    }

    [Fact]
    public void The_loaded_library_is_the_patched_output_copy_and_runs_libtorch_2_10()
    {
        TorchRuntime.EnsureLoaded();
        Assert.Equal(Path.GetFullPath(OutputCopy), TorchRuntime.NativeLibraryPath);
        Assert.StartsWith("2.10", TorchRuntime.LibTorchVersion);
        // The libtorch it runs on is the package's, next to our copy (xray info's "libtorch loaded from").
        Assert.Equal(Path.GetDirectoryName(Path.GetFullPath(OutputCopy)), TorchRuntime.LoadedLibTorch());
        using var x = torch.ones(2, 3);
        Assert.Equal(6f, x.sum().item<float>());
    }

    [Fact]
    [Trait("Category", TestCategories.Parity)]
    public void The_unpatched_library_fails_to_load_with_the_glibcxx_error_this_fixes()
    {
        if (!SystemLacksVersion) return; // nothing to show on a newer libstdc++
        // dlopen in a child process: a failed load must not disturb this one. python3's ctypes is the smallest dlopen at hand.
        var folder = TestFiles.TempFolder();
        try
        {
            var copy = Path.Combine(folder, "libLibTorchSharp.so");
            File.Copy(PackageCopy, copy);
            var native = Path.GetDirectoryName(OutputCopy)!;
            // Its libtorch dependencies first, from the output folder, so the only thing left to fail is the version check.
            var printed = XRay.TestSupport.PythonReference.Run(
                "import ctypes, os, sys\n" +
                "for d in ('libc10.so', 'libtorch_cpu.so', 'libtorch.so'):\n" +
                "    ctypes.CDLL(os.path.join(sys.argv[2], d), mode=ctypes.RTLD_GLOBAL)\n" +
                "try:\n    ctypes.CDLL(sys.argv[1])\n    print('loaded')\nexcept OSError as e:\n    print(e)",
                copy, native);
            Assert.Contains("GLIBCXX_3.4.32", printed);
            Assert.DoesNotContain("loaded", printed);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }
}
