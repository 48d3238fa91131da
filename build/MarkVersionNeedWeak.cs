// Loaded by Directory.Build.targets as an MSBuild inline task (RoslynCodeTaskFactory), and compiled into
// tests/XRay.Tests, which checks it on real files. Keep it to one file with no dependencies beyond MSBuild's; the
// inline task compiles against netstandard, hence plain arrays and hand-written little-endian reads (no spans).
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// TorchSharp 0.107's libLibTorchSharp.so was linked against GCC 13's libstdc++ and asks for the symbol version
/// GLIBCXX_3.4.32, for one symbol only (<c>_ZSt21ios_base_library_initv</c>, a marker GCC 13's &lt;iostream&gt; references
/// and never calls). Debian 12's libstdc++ stops at GLIBCXX_3.4.30, so dlopen fails with
/// "version `GLIBCXX_3.4.32' not found". Setting VER_FLG_WEAK on that one version need in .gnu.version_r makes the
/// dynamic linker accept its absence: a two-byte change. It is applied to the copy the build puts in the output
/// folder (never to the NuGet cache), and only when the system's libstdc++ lacks the version.
/// </summary>
public sealed class MarkVersionNeedWeak : Microsoft.Build.Utilities.Task
{
    private const ushort VerFlagWeak = 0x2;
    private const uint ShtGnuVerneed = 0x6ffffffe;

    /// <summary>The shared libraries to patch in place (missing files are skipped).</summary>
    [Required]
    public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>The version name, e.g. GLIBCXX_3.4.32.</summary>
    [Required]
    public string Version { get; set; } = "";

    /// <summary>The system library that should provide <see cref="Version"/>; if it does, nothing is patched.</summary>
    public string SystemLibrary { get; set; } = "";

    public override bool Execute()
    {
        if (!string.IsNullOrEmpty(SystemLibrary) && File.Exists(SystemLibrary) && Defines(File.ReadAllBytes(SystemLibrary), Version))
        {
            Log.LogMessage(MessageImportance.Low, $"{SystemLibrary} provides {Version}: nothing to patch.");
            return true;
        }
        foreach (var item in Files)
        {
            var path = item.ItemSpec;
            if (!File.Exists(path)) continue;
            try
            {
                var changed = PatchFile(path, Version);
                Log.LogMessage(MessageImportance.Normal, changed > 0
                    ? $"{path}: marked the {Version} version need weak ({changed} entry)."
                    : $"{path}: no strong {Version} version need (already patched, or not needed).");
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                Log.LogError($"Could not patch {path} for {Version}: {e.Message}");
            }
        }
        return !Log.HasLoggedErrors;
    }

    /// <summary>Patches <paramref name="path"/> through a temp file and a rename; returns how many needs changed.</summary>
    public static int PatchFile(string path, string version)
    {
        var bytes = File.ReadAllBytes(path);
        var changed = MarkWeak(bytes, version);
        if (changed == 0) return 0;
        // A new file, not an in-place write: the old inode may be mapped by a running process or hard-linked elsewhere.
        var temp = path + ".weak-tmp";
        File.WriteAllBytes(temp, bytes);
        File.Replace(temp, path, null);
        return changed;
    }

    /// <summary>Sets VER_FLG_WEAK on every strong need of <paramref name="version"/>; returns how many it changed.</summary>
    public static int MarkWeak(byte[] elf, string version)
    {
        var changed = 0;
        foreach (var flagsOffset in VersionNeedFlagOffsets(elf, version))
        {
            var flags = U16(elf, flagsOffset);
            if ((flags & VerFlagWeak) != 0) continue;
            elf[flagsOffset] = (byte)((flags | VerFlagWeak) & 0xff);
            elf[flagsOffset + 1] = (byte)((flags | VerFlagWeak) >> 8);
            changed++;
        }
        return changed;
    }

    /// <summary>Whether each need of <paramref name="version"/> is weak (false if there is none).</summary>
    public static bool IsWeak(byte[] elf, string version)
    {
        var any = false;
        foreach (var flagsOffset in VersionNeedFlagOffsets(elf, version))
        {
            any = true;
            if ((U16(elf, flagsOffset) & VerFlagWeak) == 0) return false;
        }
        return any;
    }

    /// <summary>Whether a library defines <paramref name="version"/> (its name in the dynamic string table is enough).</summary>
    public static bool Defines(byte[] library, string version)
    {
        var needle = Encoding.ASCII.GetBytes(version + "\0");
        for (var i = Array.IndexOf(library, needle[0]); i >= 0 && i <= library.Length - needle.Length; i = Array.IndexOf(library, needle[0], i + 1))
        {
            var j = 1;
            while (j < needle.Length && library[i + j] == needle[j]) j++;
            if (j == needle.Length) return true;
        }
        return false;
    }

    // The file offsets of vna_flags in each Vernaux entry whose name is `version` (ELF64, little-endian).
    private static System.Collections.Generic.List<int> VersionNeedFlagOffsets(byte[] f, string version)
    {
        if (f.Length < 64 || f[0] != 0x7f || f[1] != (byte)'E' || f[2] != (byte)'L' || f[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (f[4] != 2 || f[5] != 1) throw new InvalidDataException("not a 64-bit little-endian ELF file");
        var result = new System.Collections.Generic.List<int>();
        var sectionTable = Checked(I64(f, 0x28), f);
        int entrySize = U16(f, 0x3A);
        int sectionCount = U16(f, 0x3C);
        for (var i = 0; i < sectionCount; i++)
        {
            var section = Checked(sectionTable + (long)i * entrySize, f);
            if (U32(f, section + 4) != ShtGnuVerneed) continue;
            var offset = Checked(I64(f, section + 0x18), f);
            var link = U32(f, section + 0x28);
            var strings = Checked(I64(f, Checked(sectionTable + link * entrySize, f) + 0x18), f);
            var need = offset;
            for (var guard = 0; guard < 10_000; guard++)
            {
                int count = U16(f, need + 2);
                var aux = Checked(need + (long)U32(f, need + 8), f);
                for (var k = 0; k < count; k++)
                {
                    var name = Checked(strings + (long)U32(f, aux + 8), f);
                    var end = Array.IndexOf(f, (byte)0, name);
                    if (end > name && Encoding.ASCII.GetString(f, name, end - name) == version) result.Add(aux + 4);
                    var nextAux = U32(f, aux + 12);
                    if (nextAux == 0) break;
                    aux = Checked(aux + (long)nextAux, f);
                }
                var next = U32(f, need + 12);
                if (next == 0) break;
                need = Checked(need + (long)next, f);
            }
        }
        return result;
    }

    private static ushort U16(byte[] f, int at) => (ushort)(f[at] | f[at + 1] << 8);

    private static uint U32(byte[] f, int at) => (uint)(f[at] | f[at + 1] << 8 | f[at + 2] << 16 | f[at + 3] << 24);

    private static long I64(byte[] f, int at) => (long)U32(f, at) | (long)U32(f, at + 4) << 32;

    private static int Checked(long offset, byte[] f) =>
        offset >= 0 && offset + 16 <= f.Length ? (int)offset : throw new InvalidDataException($"offset {offset} is outside the file");
}
