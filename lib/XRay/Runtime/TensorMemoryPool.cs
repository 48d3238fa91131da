using System.Runtime.InteropServices;

namespace XRay.Runtime;

/// <summary>
/// Where libtorch's CPU tensors of 1 MiB and more live: a pool of pages this process keeps, in place of glibc's heap.
/// <para>
/// Why: glibc's heap, set to keep freed memory (<see cref="GlibcAllocator"/>, which makes training several times faster
/// than mapping large tensors afresh), grows to about twice a training step's live tensors (590 MB for 283 MB in the
/// benchmark's epochs case): a freed block too small for the next request stays resident beside the new one. Handing
/// freed memory back instead costs the step its speed, because every fresh page is faulted in and zeroed (bench/README.md,
/// "Peak memory: the tensor memory pool").
/// </para>
/// <para>
/// How: a freed block stays resident and serves the next request that fits (best fit, split in place, neighbours
/// merged), as glibc's heap does. When no free block is large enough, the pool does not grow: it takes fresh address
/// space for the request and moves free blocks' pages into it with <c>mremap</c>, which moves page-table entries, not
/// bytes (90 MB in under a millisecond, where faulting them in afresh takes about 65 ms). The resident memory then stays
/// at the step's live peak. The pool holds freed pages until <see cref="ReleaseCached"/>, as PyTorch's CUDA caching
/// allocator does until <c>torch.cuda.empty_cache()</c>.
/// </para>
/// <para>
/// libtorch lets only C++ code replace its CPU allocator (<c>c10::SetCPUAllocator</c>), so the pool takes libc10.so's
/// own calls to <c>posix_memalign</c> and <c>free</c> (<see cref="ElfImports"/>): two small machine-code stubs send
/// blocks of 1 MiB and more here and everything else on to glibc untouched. x86-64 Linux with mremap's
/// MREMAP_DONTUNMAP (kernel 5.7 or later) only; elsewhere, or with XRAY_TENSOR_POOL=0, XRAY_KEEP_FREED_MEMORY=0 or
/// THP_MEM_ALLOC_ENABLE in the environment, libtorch uses glibc as before. At process exit the stubs stop calling into .NET.
/// </para>
/// </summary>
public static unsafe partial class TensorMemoryPool
{
    /// <summary>Blocks from this size up come from the pool; smaller ones stay with glibc, which packs them well.</summary>
    public const long MinimumBlock = 1L << 20;

    private const long PageSize = 4096;
    private const long RegionSize = 1L << 40; // address space only: no page exists until a tensor writes it
    private const int ProtRead = 1, ProtWrite = 2, ProtExec = 4;
    private const int MapPrivate = 0x02, MapAnonymous = 0x20, MapNoReserve = 0x4000;
    private const int MremapMayMove = 1, MremapFixed = 2, MremapDontUnmap = 4;
    private const int MadvDontNeed = 4;

    // The stubs' shared data, one page: region start and size, enabled, .NET's free, glibc's free, the threshold, .NET's
    // posix_memalign, glibc's posix_memalign.
    private const int DataBase = 0, DataSize = 8, DataEnabled = 16, DataOurFree = 24, DataRealFree = 32,
        DataThreshold = 40, DataOurAlign = 48, DataRealAlign = 56;

    private static readonly object Gate = new();
    private static readonly FreeRanges Warm = new(); // freed blocks whose pages are resident
    private static readonly FreeRanges Cold = new(); // address space inside the region with no pages
    private static readonly Dictionary<long, long> Live = new();
    private static nint region, data, realPosixMemalign;
    private static long top;
    private static bool movesStopped;
    private static long fills;
    private static long liveBytes, peakLiveBytes, allocations, reuses, moves, movedBytes, fallbacks;

    /// <summary>Whether libtorch's large CPU tensors come from the pool in this process.</summary>
    public static bool Enabled { get; private set; }

    /// <summary>Why the pool is not in use (null when it is).</summary>
    public static string? NotEnabledReason { get; private set; } = "not installed yet";

    /// <summary>
    /// Installs the pool into the loaded libc10.so, once per process (TorchRuntime calls it after loading libtorch, before
    /// any tensor exists); returns whether it is in use. Never throws: anything unexpected leaves glibc in charge.
    /// </summary>
    internal static bool Install()
    {
        lock (Gate)
        {
            if (Enabled) return true;
            NotEnabledReason = Unsupported();
            if (NotEnabledReason is not null) return false;
            try
            {
                NotEnabledReason = InstallInto(ElfImports.Find("libc10.so"));
            }
            catch (Exception e)
            {
                // A library file it can't read or parse, a refused mprotect, a missing libc export: glibc stays in
                // charge, and `xray info` says why (this runs in XRay's module initializer, which must not fail).
                NotEnabledReason = $"installing failed: {e.GetType().Name}: {e.Message}";
            }
            Enabled = NotEnabledReason is null;
            return Enabled;
        }
    }

    private static string? Unsupported()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64) return "x86-64 Linux only";
        if (Environment.GetEnvironmentVariable("XRAY_TENSOR_POOL") == "0") return "XRAY_TENSOR_POOL=0";
        if (Environment.GetEnvironmentVariable("XRAY_KEEP_FREED_MEMORY") == "0") return "XRAY_KEEP_FREED_MEMORY=0";
        if (Environment.GetEnvironmentVariable("THP_MEM_ALLOC_ENABLE") is not null)
            return "THP_MEM_ALLOC_ENABLE is set (libtorch then asks for 2 MB-aligned blocks, which glibc serves)";
        return null;
    }

    private static string? InstallInto(ElfImports.LoadedLibrary? libc10)
    {
        if (libc10 is not { } library) return "libc10.so is not loaded";
        var freeSlots = ElfImports.Slots(library, "free");
        var alignSlots = ElfImports.Slots(library, "posix_memalign");
        if (freeSlots.Count == 0 || alignSlots.Count == 0) return $"{library.Path} imports no free or posix_memalign";
        var realFree = ElfImports.Resolve("free");
        realPosixMemalign = ElfImports.Resolve("posix_memalign");
        if (realFree == 0 || realPosixMemalign == 0) return "free or posix_memalign did not resolve";
        // A second copy of XRay.dll in this process (another load context) finds the first one's stubs in place.
        if (ElfImports.Redirected(library, freeSlots, realFree) || ElfImports.Redirected(library, alignSlots, realPosixMemalign))
            return "libc10.so's free or posix_memalign is redirected already (another copy of XRay.dll?)";

        region = mmap(0, unchecked((nint)RegionSize), ProtRead | ProtWrite, MapPrivate | MapAnonymous | MapNoReserve, -1, 0);
        if (region == -1) { region = 0; return $"reserving {RegionSize >> 30} GiB of address space failed (errno {Marshal.GetLastPInvokeError()})"; }
        if (!MovesPages())
        {
            munmap(region, unchecked((nint)RegionSize));
            region = 0;
            return "this kernel's mremap lacks MREMAP_DONTUNMAP (Linux 5.7 or later)";
        }

        data = MapPage(ProtRead | ProtWrite);
        var fields = (long*)data;
        fields[DataBase / 8] = region;
        fields[DataSize / 8] = RegionSize;
        fields[DataOurFree / 8] = (nint)(delegate* unmanaged<nint, void>)&OnFree;
        fields[DataRealFree / 8] = realFree;
        fields[DataThreshold / 8] = MinimumBlock;
        fields[DataOurAlign / 8] = (nint)(delegate* unmanaged<nint*, nuint, nuint, int>)&OnPosixMemalign;
        fields[DataRealAlign / 8] = realPosixMemalign;
        fields[DataEnabled / 8] = 1;
        var (freeStub, alignStub) = WriteStubs(data);

        // free first: once posix_memalign is redirected, pool blocks exist, and free must already take them back.
        ElfImports.Redirect(freeSlots, freeStub);
        ElfImports.Redirect(alignSlots, alignStub);
        // At exit, native destructors may still free tensors after .NET has shut down: from then on the stubs leave
        // the pool's blocks alone and send new requests to glibc.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Volatile.Write(ref ((long*)data)[DataEnabled / 8], 0);
        return null;
    }

    /// <summary>A probe: does mremap move a page with MREMAP_DONTUNMAP here, leaving the source mapped?</summary>
    private static bool MovesPages()
    {
        *(long*)region = 42;
        var moved = mremap(region, (nint)PageSize, (nint)PageSize, MremapMayMove | MremapFixed | MremapDontUnmap, region + (nint)PageSize);
        var ok = moved == region + (nint)PageSize && *(long*)moved == 42 && *(long*)region == 0;
        madvise(region, (nint)(2 * PageSize), MadvDontNeed);
        return ok;
    }

    /// <summary>
    /// The two stubs libc10's GOT slots point to (x86-64, System V calling convention), in a page made executable
    /// after writing. <c>D</c> is the data page.
    /// <code>
    /// free(p):                    mov rax, D; mov rcx, rdi; sub rcx, [rax]; cmp rcx, [rax+8]; jae glibc
    ///                             cmp qword [rax+16], 0; je done; jmp [rax+24]      ; a pool block: .NET's OnFree
    ///                     done:   ret                                               ; disabled: leave it
    ///                     glibc:  jmp [rax+32]
    /// posix_memalign(out, a, n):  mov rax, D; cmp qword [rax+16], 0; je glibc; cmp rdx, [rax+40]; jb glibc
    ///                             jmp [rax+48]                                      ; .NET's OnPosixMemalign
    ///                     glibc:  jmp [rax+56]
    /// </code>
    /// </summary>
    private static (nint Free, nint PosixMemalign) WriteStubs(nint dataPage)
    {
        var d = BitConverter.GetBytes((long)dataPage);
        byte[] free =
        [
            0x48, 0xB8, .. d,               // mov rax, D
            0x48, 0x89, 0xF9,               // mov rcx, rdi
            0x48, 0x2B, 0x08,               // sub rcx, [rax]
            0x48, 0x3B, 0x48, 0x08,         // cmp rcx, [rax+8]
            0x73, 0x0B,                     // jae glibc (+11)
            0x48, 0x83, 0x78, 0x10, 0x00,   // cmp qword [rax+16], 0
            0x74, 0x03,                     // je done (+3)
            0xFF, 0x60, 0x18,               // jmp [rax+24]
            0xC3,                           // done: ret
            0xFF, 0x60, 0x20,               // glibc: jmp [rax+32]
        ];
        byte[] align =
        [
            0x48, 0xB8, .. d,               // mov rax, D
            0x48, 0x83, 0x78, 0x10, 0x00,   // cmp qword [rax+16], 0
            0x74, 0x09,                     // je glibc (+9)
            0x48, 0x3B, 0x50, 0x28,         // cmp rdx, [rax+40]
            0x72, 0x03,                     // jb glibc (+3)
            0xFF, 0x60, 0x30,               // jmp [rax+48]
            0xFF, 0x60, 0x38,               // glibc: jmp [rax+56]
        ];
        var code = MapPage(ProtRead | ProtWrite);
        Marshal.Copy(free, 0, code, free.Length);
        Marshal.Copy(align, 0, code + 64, align.Length);
        if (mprotect(code, (nint)PageSize, ProtRead | ProtExec) != 0)
            throw new InvalidOperationException($"mprotect(PROT_EXEC) failed for the stub page (errno {Marshal.GetLastPInvokeError()}).");
        return (code, code + 64);
    }

    private static nint MapPage(int protection)
    {
        var page = mmap(0, (nint)PageSize, protection, MapPrivate | MapAnonymous, -1, 0);
        return page == -1 ? throw new InvalidOperationException($"mmap of one page failed (errno {Marshal.GetLastPInvokeError()}).") : page;
    }

    [UnmanagedCallersOnly]
    private static int OnPosixMemalign(nint* result, nuint alignment, nuint size)
    {
        try
        {
            if (alignment <= PageSize && Allocate((long)size) is var block and not 0)
            {
                *result = block;
                return 0;
            }
        }
        catch (Exception)
        {
            // Never let an exception cross into native code: glibc serves this one.
        }
        Interlocked.Increment(ref fallbacks);
        return ((delegate* unmanaged<nint*, nuint, nuint, int>)realPosixMemalign)(result, alignment, size);
    }

    [UnmanagedCallersOnly]
    private static void OnFree(nint block)
    {
        try
        {
            Release(block);
        }
        catch (Exception)
        {
            // Never let an exception cross into native code; a block we can't take back stays where it is.
        }
    }

    /// <summary>A block of at least <paramref name="size"/> bytes, page-aligned, or 0 when the region is full.</summary>
    private static nint Allocate(long size)
    {
        var length = (size + PageSize - 1) & ~(PageSize - 1);
        lock (Gate)
        {
            long start;
            if (Warm.TakeBestFit(length) is { } reused)
            {
                start = reused;
                reuses++;
            }
            else
            {
                if (Cold.TakeBestFit(length) is { } empty) start = empty;
                else if (top + length <= RegionSize) { start = top; top += length; }
                else return 0;
                Fill(start, length);
            }
            Live.Add(start, length);
            allocations++;
            liveBytes += length;
            peakLiveBytes = Math.Max(peakLiveBytes, liveBytes);
            return region + (nint)start;
        }
    }

    /// <summary>
    /// Moves free blocks' resident pages into [start, start + length): the smallest free block that covers what is
    /// left, else the largest whole. What no free block covers gets fresh pages when the tensor first writes them.
    /// </summary>
    private static void Fill(long start, long length)
    {
        if (movesStopped || (++fills % 1024 == 0 && TooManyMappings())) return;
        var at = start;
        var left = length;
        while (left > 0)
        {
            (long Start, long Length)? next = Warm.TakeBestFit(left) is { } piece ? (piece, left) : Warm.TakeLargest();
            if (next is not { } source) return;
            var moved = mremap(region + (nint)source.Start, (nint)source.Length, (nint)source.Length,
                MremapMayMove | MremapFixed | MremapDontUnmap, region + (nint)at);
            if (moved != region + (nint)at)
            {
                Warm.Add(source.Start, source.Length); // still resident where it was
                return;
            }
            Cold.Add(source.Start, source.Length);
            moves++;
            movedBytes += source.Length;
            at += source.Length;
            left -= source.Length;
        }
    }

    /// <summary>
    /// Each move can split the region's mappings, and the kernel allows a process 65,530 (vm.max_map_count): random sizes
    /// over 200,000 requests made about 4,000. Past half the limit the pool stops moving pages and grows like a heap,
    /// so that the rest of the process (.NET's GC, glibc) can still map memory.
    /// </summary>
    private static bool TooManyMappings()
    {
        try
        {
            var limit = int.Parse(File.ReadAllText("/proc/sys/vm/max_map_count").Trim(), System.Globalization.CultureInfo.InvariantCulture);
            movesStopped = File.ReadLines("/proc/self/maps").Count() > limit / 2;
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            movesStopped = true; // can't tell: stay safe
        }
        return movesStopped;
    }

    private static void Release(nint block)
    {
        var start = (long)(block - region);
        lock (Gate)
        {
            if (!Live.Remove(start, out var length)) return; // not a block we handed out
            liveBytes -= length;
            Warm.Add(start, length);
        }
    }

    /// <summary>
    /// Gives the pool's free pages back to the system (torch.cuda.empty_cache() for the CPU): the process's resident
    /// memory drops by <see cref="PoolStatistics.CachedBytes"/>; the next large tensors fault fresh pages in. Returns
    /// the bytes released.
    /// </summary>
    public static long ReleaseCached()
    {
        lock (Gate)
        {
            if (!Enabled) return 0;
            var released = 0L;
            foreach (var (start, length) in Warm.TakeAll())
            {
                madvise(region + (nint)start, (nint)length, MadvDontNeed);
                Cold.Add(start, length);
                released += length;
            }
            return released;
        }
    }

    /// <summary>What the pool holds now, and what it has done since the process started.</summary>
    public static PoolStatistics Statistics()
    {
        lock (Gate)
            return new PoolStatistics(Enabled, liveBytes, peakLiveBytes, Warm.Bytes, allocations, reuses, moves, movedBytes,
                Interlocked.Read(ref fallbacks));
    }

    /// <summary>The pool's address space (zero length when it is not in use): /proc/PID/smaps lines in it are the pool's pages.</summary>
    public static (nint Start, long Length) AddressSpace => Enabled ? (region, RegionSize) : (0, 0);

    /// <summary>Whether <paramref name="address"/> lies in the pool's address space (a tensor's data pointer, say).</summary>
    public static bool Owns(nint address) => Enabled && (ulong)(address - region) < (ulong)RegionSize;

    [LibraryImport("libc.so.6", EntryPoint = "mmap", SetLastError = true)]
    private static partial nint mmap(nint address, nint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc.so.6", EntryPoint = "munmap")]
    private static partial int munmap(nint address, nint length);

    [LibraryImport("libc.so.6", EntryPoint = "mremap")]
    private static partial nint mremap(nint oldAddress, nint oldSize, nint newSize, int flags, nint newAddress);

    [LibraryImport("libc.so.6", EntryPoint = "madvise")]
    private static partial int madvise(nint address, nint length, int advice);

    [LibraryImport("libc.so.6", EntryPoint = "mprotect", SetLastError = true)]
    private static partial int mprotect(nint address, nint length, int protection);

    /// <summary>Free address ranges, merged with their neighbours, found by best fit (the smallest that is large enough).</summary>
    private sealed class FreeRanges
    {
        private readonly Dictionary<long, long> byStart = new();
        private readonly Dictionary<long, long> startByEnd = new();
        private readonly SortedSet<(long Length, long Start)> bySize = new();

        public long Bytes { get; private set; }

        public void Add(long start, long length)
        {
            if (startByEnd.TryGetValue(start, out var before))
            {
                var beforeLength = byStart[before];
                Remove(before, beforeLength);
                (start, length) = (before, beforeLength + length);
            }
            if (byStart.TryGetValue(start + length, out var afterLength))
            {
                Remove(start + length, afterLength);
                length += afterLength;
            }
            byStart.Add(start, length);
            startByEnd.Add(start + length, start);
            bySize.Add((length, start));
            Bytes += length;
        }

        /// <summary>The start of <paramref name="length"/> bytes cut from the smallest range that holds them, or null.</summary>
        public long? TakeBestFit(long length)
        {
            var fits = bySize.GetViewBetween((length, long.MinValue), (long.MaxValue, long.MaxValue));
            if (fits.Count == 0) return null;
            var (rangeLength, start) = fits.Min;
            Remove(start, rangeLength);
            if (rangeLength > length) Add(start + length, rangeLength - length);
            return start;
        }

        public (long Start, long Length)? TakeLargest()
        {
            if (bySize.Count == 0) return null;
            var (length, start) = bySize.Max;
            Remove(start, length);
            return (start, length);
        }

        public List<(long Start, long Length)> TakeAll()
        {
            var all = bySize.Select(r => (r.Start, r.Length)).ToList();
            foreach (var (start, length) in all) Remove(start, length);
            return all;
        }

        private void Remove(long start, long length)
        {
            byStart.Remove(start);
            startByEnd.Remove(start + length);
            bySize.Remove((length, start));
            Bytes -= length;
        }
    }
}

/// <summary>
/// <see cref="TensorMemoryPool"/>'s counters: bytes in live tensors now and at most, bytes freed and kept resident for
/// reuse; blocks handed out, of which served by a kept block in place, page moves (mremap) and the bytes they moved,
/// and requests glibc served instead (an alignment over a page, or the pool's address space full).
/// </summary>
public sealed record PoolStatistics(bool Enabled, long LiveBytes, long PeakLiveBytes, long CachedBytes, long Allocations,
    long Reuses, long Moves, long MovedBytes, long Fallbacks)
{
    /// <summary>What the pool keeps resident: live tensors and cached free pages.</summary>
    public long ResidentBytes => LiveBytes + CachedBytes;
}
