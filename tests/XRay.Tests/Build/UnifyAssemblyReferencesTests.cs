using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace XRay.Tests.Build;

/// <summary>
/// build/UnifyAssemblyReferences.cs: the notebook kernel's script loader loads an assembly twice when a reference asks
/// for another version than the folder holds, so the build rewrites such references in XRay's output folder.
/// </summary>
public class UnifyAssemblyReferencesTests
{
    private static string Packages =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p
            ? p : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    // What System.Reflection.Metadata reads: the task's hand-written table walk must agree with it.
    private static Dictionary<string, Version> References(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        return md.AssemblyReferences.Select(h => md.GetAssemblyReference(h)).ToDictionary(r => md.GetString(r.Name), r => r.Version);
    }

    [Fact]
    public void A_lower_version_reference_is_raised_to_the_folders_assembly_and_nothing_else_changes()
    {
        var folder = TestFiles.TempFolder();
        try
        {
            var pyBridge = Path.Combine(folder, "TorchSharp.PyBridge.dll");
            File.Copy(Path.Combine(Packages, "torchsharp.pybridge", "1.4.4", "lib", "net6.0", "TorchSharp.PyBridge.dll"), pyBridge);
            File.Copy(typeof(TorchSharp.torch).Assembly.Location, Path.Combine(folder, "TorchSharp.dll"));
            var before = References(pyBridge);
            Assert.Equal(new Version(0, 103, 0, 0), before["TorchSharp"]);
            var original = File.ReadAllBytes(pyBridge);

            var changed = UnifyAssemblyReferences.UnifyFolder(folder);

            var torchSharp = typeof(TorchSharp.torch).Assembly.GetName().Version!;
            var after = References(pyBridge);
            Assert.Equal(torchSharp, after["TorchSharp"]);
            Assert.Equal(before.Keys.Order(), after.Keys.Order());
            Assert.All(before.Where(kv => kv.Key != "TorchSharp"), kv => Assert.Equal(kv.Value, after[kv.Key]));
            Assert.Equal($"TorchSharp 0.103.0.0 -> {torchSharp}", Assert.Single(changed).Changes);
            var bytes = File.ReadAllBytes(pyBridge);
            Assert.InRange(Enumerable.Range(0, bytes.Length).Count(i => bytes[i] != original[i]), 1, 8);
            Assert.Equal("TorchSharp.PyBridge", AssemblyName.GetAssemblyName(pyBridge).Name); // still a valid assembly
            Assert.Empty(UnifyAssemblyReferences.UnifyFolder(folder)); // idempotent
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void Xrays_output_folder_has_no_reference_to_another_version_than_it_holds()
    {
        var folder = Path.Combine(TestSupport.Repository.Root(), "artifacts", "bin", "XRay", "release");
        Assert.True(File.Exists(Path.Combine(folder, "XRay.dll")), "build XRay first (./build.sh build)");
        var present = Directory.GetFiles(folder, "*.dll")
            .Select(p => { try { return AssemblyName.GetAssemblyName(p); } catch (BadImageFormatException) { return null; } })
            .OfType<AssemblyName>().ToDictionary(n => n.Name!, n => n.Version!);
        var mismatches = Directory.GetFiles(folder, "*.dll")
            .Where(p => present.ContainsKey(Path.GetFileNameWithoutExtension(p)))
            .SelectMany(p => References(p).Where(r => present.TryGetValue(r.Key, out var v) && v != r.Value)
                .Select(r => $"{Path.GetFileName(p)} -> {r.Key} {r.Value} (folder: {present[r.Key]})"))
            .ToList();
        Assert.Empty(mismatches);
    }

    [Fact]
    public void A_native_library_or_a_non_pe_file_has_no_assembly_definition()
    {
        Assert.Null(UnifyAssemblyReferences.AssemblyDefinition(File.ReadAllBytes("/usr/lib/x86_64-linux-gnu/libstdc++.so.6")));
        Assert.Equal("XRay", UnifyAssemblyReferences.AssemblyDefinition(File.ReadAllBytes(typeof(XRay.Models.BlogCnn).Assembly.Location))!.Value.Name);
    }
}
