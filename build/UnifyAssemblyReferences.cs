// Loaded by Directory.Build.targets as an MSBuild inline task (RoslynCodeTaskFactory), and compiled into
// tests/XRay.Tests, which checks it on real files. One file, netstandard only: the ECMA-335 metadata tables are read
// by hand (System.Reflection.Metadata is not available to inline tasks).
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;

/// <summary>
/// Notebooks load XRay.dll with C# scripting's InteractiveAssemblyLoader (VS Code's and Jupyter's .NET kernel). It
/// does no version unification: when TorchSharp.PyBridge references TorchSharp 0.103 and the folder holds TorchSharp
/// 0.107, it loads TorchSharp.dll a second time into another load context, and PyBridge's tensors are then not
/// XRay's tensors ("not name -> tensor"); Microsoft.Data.Sqlite (SQLitePCLRaw.core 2.1.12 vs 3.0.3) breaks the same way.
/// A .NET app's default load context would simply take the higher version. This task does that unification once, in
/// the output folder's copies: every assembly reference whose name matches an assembly in the folder with a higher
/// version is rewritten to that version (8 bytes per reference; never downgraded; the NuGet cache is not touched).
/// </summary>
public sealed class UnifyAssemblyReferences : Microsoft.Build.Utilities.Task
{
    private const int AssemblyRefTable = 0x23;

    /// <summary>The folder whose *.dll files are unified among themselves.</summary>
    [Required]
    public string Folder { get; set; } = "";

    public override bool Execute()
    {
        try
        {
            foreach (var (file, changes) in UnifyFolder(Folder))
                Log.LogMessage(MessageImportance.Normal, $"{file}: {changes}");
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            Log.LogError($"Could not unify the assembly references in {Folder}: {e.Message}");
        }
        return !Log.HasLoggedErrors;
    }

    /// <summary>Unifies the folder; returns each changed file with a description of its changes.</summary>
    public static List<(string File, string Changes)> UnifyFolder(string folder)
    {
        var present = new Dictionary<string, Version>(StringComparer.OrdinalIgnoreCase);
        var images = new Dictionary<string, byte[]>();
        foreach (var path in Directory.GetFiles(folder, "*.dll"))
        {
            var bytes = File.ReadAllBytes(path);
            if (AssemblyDefinition(bytes) is not { } definition) continue; // native library or no metadata
            present[definition.Name] = definition.Version;
            images[path] = bytes;
        }
        var changed = new List<(string, string)>();
        foreach (var pair in images)
        {
            var notes = new List<string>();
            foreach (var reference in AssemblyReferences(pair.Value))
            {
                if (!present.TryGetValue(reference.Name, out var version) || version <= reference.Version) continue;
                WriteVersion(pair.Value, reference.VersionOffset, version);
                notes.Add($"{reference.Name} {reference.Version} -> {version}");
            }
            if (notes.Count == 0) continue;
            var temp = pair.Key + ".unify-tmp";
            File.WriteAllBytes(temp, pair.Value);
            File.Replace(temp, pair.Key, null); // a new file: the old one may be mapped by a running process
            changed.Add((Path.GetFileName(pair.Key), string.Join(", ", notes)));
        }
        return changed;
    }

    public sealed class Reference
    {
        public string Name = "";
        public Version Version = new();
        public int VersionOffset;
    }

    /// <summary>The assembly's own name and version, or null for a file without .NET metadata.</summary>
    public static (string Name, Version Version)? AssemblyDefinition(byte[] image)
    {
        var tables = Tables.Open(image);
        if (tables is null || tables.Rows[0x20] == 0) return null;
        var row = tables.RowOffset(0x20, 0);
        var version = ReadVersion(image, row + 4);
        var name = tables.String(row + 16 + tables.BlobSize);
        return (name, version);
    }

    public static List<Reference> AssemblyReferences(byte[] image)
    {
        var result = new List<Reference>();
        var tables = Tables.Open(image);
        if (tables is null) return result;
        for (var i = 0; i < tables.Rows[AssemblyRefTable]; i++)
        {
            var row = tables.RowOffset(AssemblyRefTable, i);
            result.Add(new Reference
            {
                Name = tables.String(row + 12 + tables.BlobSize),
                Version = ReadVersion(image, row),
                VersionOffset = row,
            });
        }
        return result;
    }

    private static Version ReadVersion(byte[] b, int at) => new(U16(b, at), U16(b, at + 2), U16(b, at + 4), U16(b, at + 6));

    private static void WriteVersion(byte[] b, int at, Version v)
    {
        var parts = new[] { v.Major, v.Minor, Math.Max(v.Build, 0), Math.Max(v.Revision, 0) };
        for (var i = 0; i < 4; i++)
        {
            b[at + 2 * i] = (byte)(parts[i] & 0xff);
            b[at + 2 * i + 1] = (byte)((parts[i] >> 8) & 0xff);
        }
    }

    private static int U16(byte[] b, int at) => b[at] | b[at + 1] << 8;

    private static int I32(byte[] b, int at) => b[at] | b[at + 1] << 8 | b[at + 2] << 16 | b[at + 3] << 24;

    /// <summary>The #~ stream's tables: row counts and sizes (ECMA-335 II.22 and II.24.2.6).</summary>
    private sealed class Tables
    {
        private readonly byte[] image;
        private readonly int stringsOffset;
        private readonly int[] rowSize = new int[64];
        private readonly int[] tableOffset = new int[64];

        public readonly int[] Rows = new int[64];
        public int BlobSize;

        private Tables(byte[] image, int stringsOffset)
        {
            this.image = image;
            this.stringsOffset = stringsOffset;
        }

        public int RowOffset(int table, int index) => tableOffset[table] + index * rowSize[table];

        public string String(int indexAt)
        {
            var index = stringSize == 4 ? I32(image, indexAt) : U16(image, indexAt);
            var start = stringsOffset + index;
            var end = Array.IndexOf(image, (byte)0, start);
            return Encoding.UTF8.GetString(image, start, end - start);
        }

        private int stringSize;

        public static Tables? Open(byte[] b)
        {
            if (b.Length < 0x40 || b[0] != 'M' || b[1] != 'Z') return null;
            var pe = I32(b, 0x3C);
            if (pe <= 0 || pe + 24 > b.Length || I32(b, pe) != 0x4550) return null;
            var sections = U16(b, pe + 6);
            var optional = pe + 24;
            var optionalSize = U16(b, pe + 20);
            var magic = U16(b, optional);
            var directories = optional + (magic == 0x20b ? 112 : 96);
            var cliRva = I32(b, directories + 14 * 8);
            if (cliRva == 0) return null; // native
            var sectionTable = optional + optionalSize;
            int ToOffset(int rva)
            {
                for (var s = 0; s < sections; s++)
                {
                    var h = sectionTable + s * 40;
                    var va = I32(b, h + 12);
                    var size = Math.Max(I32(b, h + 8), I32(b, h + 16));
                    if (rva >= va && rva < va + size) return rva - va + I32(b, h + 20);
                }
                throw new InvalidDataException($"RVA 0x{rva:x} is in no section");
            }
            var cli = ToOffset(cliRva);
            var root = ToOffset(I32(b, cli + 8));
            if (I32(b, root) != 0x424A5342) throw new InvalidDataException("bad metadata signature");
            var versionLength = I32(b, root + 12);
            var p = root + 16 + versionLength + 2;
            var streams = U16(b, p);
            p += 2;
            int tablesAt = -1, strings = -1;
            for (var s = 0; s < streams; s++)
            {
                var offset = I32(b, p);
                var end = Array.IndexOf(b, (byte)0, p + 8);
                var name = Encoding.ASCII.GetString(b, p + 8, end - (p + 8));
                if (name is "#~" or "#-") tablesAt = root + offset;
                if (name == "#Strings") strings = root + offset;
                p = p + 8 + ((name.Length + 4) & ~3);
            }
            if (tablesAt < 0 || strings < 0) throw new InvalidDataException("no metadata tables");
            var t = new Tables(b, strings);
            var heapSizes = b[tablesAt + 6];
            t.stringSize = (heapSizes & 1) != 0 ? 4 : 2;
            var guid = (heapSizes & 2) != 0 ? 4 : 2;
            t.BlobSize = (heapSizes & 4) != 0 ? 4 : 2;
            var valid = (ulong)(uint)I32(b, tablesAt + 8) | (ulong)(uint)I32(b, tablesAt + 12) << 32;
            var q = tablesAt + 24;
            for (var i = 0; i < 64; i++)
                if ((valid >> i & 1) != 0) { t.Rows[i] = I32(b, q); q += 4; }
            if ((heapSizes & 0x40) != 0) q += 4; // extra data (#- streams)
            t.Sizes(guid);
            for (var i = 0; i < 64; i++)
            {
                t.tableOffset[i] = q;
                q += t.Rows[i] * t.rowSize[i];
            }
            return t;
        }

        private int Index(int table) => Rows[table] < 0x10000 ? 2 : 4;

        private int Coded(int tagBits, params int[] tables)
        {
            var max = 0;
            foreach (var table in tables) if (table >= 0) max = Math.Max(max, Rows[table]);
            return max < 1 << (16 - tagBits) ? 2 : 4;
        }

        private void Sizes(int g)
        {
            int s = stringSize, bl = BlobSize;
            var typeDefOrRef = Coded(2, 0x02, 0x01, 0x1B);
            var hasConstant = Coded(2, 0x04, 0x08, 0x17);
            var hasCustomAttribute = Coded(5, 0x06, 0x04, 0x01, 0x02, 0x08, 0x09, 0x0A, 0x00, 0x0E, 0x17, 0x14, 0x11, 0x1A, 0x1B,
                0x20, 0x23, 0x26, 0x27, 0x28, 0x2A, 0x2C, 0x2B);
            var hasFieldMarshal = Coded(1, 0x04, 0x08);
            var hasDeclSecurity = Coded(2, 0x02, 0x06, 0x20);
            var memberRefParent = Coded(3, 0x02, 0x01, 0x1A, 0x06, 0x1B);
            var hasSemantics = Coded(1, 0x14, 0x17);
            var methodDefOrRef = Coded(1, 0x06, 0x0A);
            var memberForwarded = Coded(1, 0x04, 0x06);
            var implementation = Coded(2, 0x26, 0x23, 0x27);
            var customAttributeType = Coded(3, -1, -1, 0x06, 0x0A, -1);
            var resolutionScope = Coded(2, 0x00, 0x1A, 0x23, 0x01);
            var typeOrMethodDef = Coded(1, 0x02, 0x06);
            rowSize[0x00] = 2 + s + 3 * g;
            rowSize[0x01] = resolutionScope + 2 * s;
            rowSize[0x02] = 4 + 2 * s + typeDefOrRef + Index(0x04) + Index(0x06);
            rowSize[0x03] = Index(0x04);
            rowSize[0x04] = 2 + s + bl;
            rowSize[0x05] = Index(0x06);
            rowSize[0x06] = 4 + 2 + 2 + s + bl + Index(0x08);
            rowSize[0x07] = Index(0x08);
            rowSize[0x08] = 2 + 2 + s;
            rowSize[0x09] = Index(0x02) + typeDefOrRef;
            rowSize[0x0A] = memberRefParent + s + bl;
            rowSize[0x0B] = 2 + hasConstant + bl;
            rowSize[0x0C] = hasCustomAttribute + customAttributeType + bl;
            rowSize[0x0D] = hasFieldMarshal + bl;
            rowSize[0x0E] = 2 + hasDeclSecurity + bl;
            rowSize[0x0F] = 2 + 4 + Index(0x02);
            rowSize[0x10] = 4 + Index(0x04);
            rowSize[0x11] = bl;
            rowSize[0x12] = Index(0x02) + Index(0x14);
            rowSize[0x13] = Index(0x14);
            rowSize[0x14] = 2 + s + typeDefOrRef;
            rowSize[0x15] = Index(0x02) + Index(0x17);
            rowSize[0x16] = Index(0x17);
            rowSize[0x17] = 2 + s + bl;
            rowSize[0x18] = 2 + Index(0x06) + hasSemantics;
            rowSize[0x19] = Index(0x02) + 2 * methodDefOrRef;
            rowSize[0x1A] = s;
            rowSize[0x1B] = bl;
            rowSize[0x1C] = 2 + memberForwarded + s + Index(0x1A);
            rowSize[0x1D] = 4 + Index(0x04);
            rowSize[0x1E] = 8;
            rowSize[0x1F] = 4;
            rowSize[0x20] = 4 + 8 + 4 + bl + 2 * s;
            rowSize[0x21] = 4;
            rowSize[0x22] = 12;
            rowSize[0x23] = 8 + 4 + bl + 2 * s + bl;
            rowSize[0x24] = 4 + Index(0x23);
            rowSize[0x25] = 12 + Index(0x23);
            rowSize[0x26] = 4 + s + bl;
            rowSize[0x27] = 4 + 4 + 2 * s + implementation;
            rowSize[0x28] = 4 + 4 + s + implementation;
            rowSize[0x29] = 2 * Index(0x02);
            rowSize[0x2A] = 2 + 2 + typeOrMethodDef + s;
            rowSize[0x2B] = methodDefOrRef + bl;
            rowSize[0x2C] = Index(0x2A) + typeDefOrRef;
        }
    }
}
