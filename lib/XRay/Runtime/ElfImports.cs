using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace XRay.Runtime;

/// <summary>
/// Redirects the calls one loaded ELF library (x86-64 Linux) makes to a function it imports, such as libc10.so's calls to
/// <c>free</c>, by rewriting that library's own global offset table slots; no other library is affected. This is how
/// <see cref="TensorMemoryPool"/> gets libtorch's CPU tensors without C++: libtorch offers <c>c10::SetCPUAllocator</c>
/// only to C++ callers.
/// </summary>
internal static partial class ElfImports
{
    private const int SectionHeaderSize = 64, RelaEntrySize = 24, SymbolSize = 24;
    private const uint ShtRela = 4;
    private const uint RX8664GlobDat = 6, RX8664JumpSlot = 7;
    private const int RtldLazy = 1, RtldNoLoad = 4, RtldDiLinkMap = 2;
    private const int ProtRead = 1, ProtWrite = 2;

    /// <summary>A loaded library: its load address and the file it came from.</summary>
    internal readonly record struct LoadedLibrary(nint Base, string Path);

    /// <summary>The library with this soname if the process has loaded it (dlopen with RTLD_NOLOAD), else null.</summary>
    public static LoadedLibrary? Find(string soname)
    {
        var handle = dlopen(soname, RtldLazy | RtldNoLoad);
        if (handle == 0) return null;
        try
        {
            // struct link_map { ElfW(Addr) l_addr; char *l_name; ... }
            if (dlinfo(handle, RtldDiLinkMap, out var linkMap) != 0 || linkMap == 0) return null;
            var path = Marshal.PtrToStringUTF8(Marshal.ReadIntPtr(linkMap, IntPtr.Size));
            return string.IsNullOrEmpty(path) ? null : new LoadedLibrary(Marshal.ReadIntPtr(linkMap), path);
        }
        finally
        {
            dlclose(handle);
        }
    }

    /// <summary>
    /// The addresses of <paramref name="library"/>'s slots for the imported function <paramref name="symbol"/>: the
    /// PLT's (direct calls) and the GOT's (where its address is taken), read from the file's RELA sections.
    /// </summary>
    public static IReadOnlyList<nint> Slots(LoadedLibrary library, string symbol)
    {
        var elf = File.ReadAllBytes(library.Path);
        if (elf.Length < 64 || BinaryPrimitives.ReadUInt32BigEndian(elf) != 0x7F454C46 || elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException($"{library.Path} is not a 64-bit little-endian ELF file.");
        if (BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x12)) != 62) // EM_X86_64
            throw new PlatformNotSupportedException($"{library.Path} is not an x86-64 library.");
        var sectionsAt = (long)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(0x28));
        var sectionCount = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3C));
        ReadOnlySpan<byte> Section(int index) => elf.AsSpan((int)(sectionsAt + (long)index * SectionHeaderSize), SectionHeaderSize);
        static long Offset(ReadOnlySpan<byte> header) => (long)BinaryPrimitives.ReadUInt64LittleEndian(header[24..]);
        static long Size(ReadOnlySpan<byte> header) => (long)BinaryPrimitives.ReadUInt64LittleEndian(header[32..]);
        static int Link(ReadOnlySpan<byte> header) => (int)BinaryPrimitives.ReadUInt32LittleEndian(header[40..]);

        var name = System.Text.Encoding.ASCII.GetBytes(symbol);
        var slots = new List<nint>();
        for (var i = 0; i < sectionCount; i++)
        {
            var rela = Section(i);
            if (BinaryPrimitives.ReadUInt32LittleEndian(rela[4..]) != ShtRela) continue;
            var symbols = Section(Link(rela));
            var strings = Section(Link(symbols));
            for (var at = Offset(rela); at + RelaEntrySize <= Offset(rela) + Size(rela); at += RelaEntrySize)
            {
                var info = BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan((int)at + 8));
                if ((uint)info is not (RX8664GlobDat or RX8664JumpSlot)) continue;
                var symbolAt = Offset(symbols) + (long)(info >> 32) * SymbolSize;
                var nameAt = Offset(strings) + BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan((int)symbolAt));
                var candidate = elf.AsSpan((int)nameAt);
                if (candidate.Length > name.Length && candidate[name.Length] == 0 && candidate[..name.Length].SequenceEqual(name))
                    slots.Add(library.Base + (nint)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan((int)at)));
            }
        }
        return slots;
    }

    /// <summary>
    /// Writes <paramref name="target"/> into each slot (making its page writable for the write, and read-only again
    /// where it was, as RELRO leaves the GOT).
    /// </summary>
    public static void Redirect(IReadOnlyList<nint> slots, nint target)
    {
        foreach (var slot in slots)
        {
            var page = slot & ~(nint)(Environment.SystemPageSize - 1);
            var writable = PageIsWritable(slot);
            if (!writable && mprotect(page, Environment.SystemPageSize, ProtRead | ProtWrite) != 0)
                throw new InvalidOperationException($"mprotect failed for the GOT page at 0x{page:x} (errno {Marshal.GetLastPInvokeError()}).");
            Volatile.Write(ref Slot(slot), target);
            if (!writable) mprotect(page, Environment.SystemPageSize, ProtRead);
        }
    }

    /// <summary>
    /// Whether any slot holds something other than <paramref name="real"/> or the library's own lazy-binding stub (its
    /// PLT, inside the library's file mapping; compared by file name, as the maps show the path with links resolved):
    /// someone redirected it already.
    /// </summary>
    public static bool Redirected(LoadedLibrary library, IReadOnlyList<nint> slots, nint real) =>
        slots.Select(s => Marshal.ReadIntPtr(s)).Any(target => target != real
            && Path.GetFileName(Mapping(target).Path) != Path.GetFileName(library.Path));

    /// <summary>The process's own resolution of <paramref name="symbol"/> (dlsym with RTLD_DEFAULT): what a GOT slot binds to.</summary>
    public static nint Resolve(string symbol) => dlsym(0, symbol);

    private static unsafe ref nint Slot(nint address) => ref *(nint*)address;

    /// <summary>Whether /proc/self/maps gives the page holding <paramref name="address"/> write permission.</summary>
    private static bool PageIsWritable(nint address) =>
        Mapping(address).Permissions is { } permissions ? permissions[1] == 'w'
            : throw new InvalidOperationException($"0x{address:x} is not in any mapping of this process.");

    /// <summary>The /proc/self/maps line holding <paramref name="address"/>: its permissions ("r-xp") and file (null if anonymous).</summary>
    private static (string? Permissions, string? Path) Mapping(nint address)
    {
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            var dash = line.IndexOf('-', StringComparison.Ordinal);
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var start = Convert.ToUInt64(line[..dash], 16);
            var end = Convert.ToUInt64(line[(dash + 1)..space], 16);
            if ((ulong)address < start || (ulong)address >= end) continue;
            var slash = line.IndexOf('/', StringComparison.Ordinal);
            return (line.Substring(space + 1, 4), slash < 0 ? null : line[slash..]);
        }
        return (null, null);
    }

    [LibraryImport("libc.so.6", EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint dlopen(string file, int mode);

    [LibraryImport("libc.so.6", EntryPoint = "dlinfo")]
    private static partial int dlinfo(nint handle, int request, out nint info);

    [LibraryImport("libc.so.6", EntryPoint = "dlclose")]
    private static partial int dlclose(nint handle);

    [LibraryImport("libc.so.6", EntryPoint = "dlsym", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint dlsym(nint handle, string symbol);

    [LibraryImport("libc.so.6", EntryPoint = "mprotect", SetLastError = true)]
    private static partial int mprotect(nint address, nint length, int protection);
}
