using System.Runtime.InteropServices;
using XRay.Models;
using XRay.Runtime;
using static TorchSharp.torch;

namespace XRay.Tests.Runtime;

/// <summary>
/// The pool is in use on this machine (x86-64 Linux, kernel 5.7+) unless the environment opts out; these tests check
/// where libtorch's tensors land, that freed pages are reused or moved rather than added, and what stays resident, read
/// from the kernel's own accounting (/proc/self/smaps), not from the pool's counters.
/// </summary>
public class TensorMemoryPoolTests
{
    private const long MiB = 1L << 20;

    private static bool OptedOut => Environment.GetEnvironmentVariable("XRAY_TENSOR_POOL") == "0"
        || Environment.GetEnvironmentVariable("XRAY_KEEP_FREED_MEMORY") == "0"
        || Environment.GetEnvironmentVariable("THP_MEM_ALLOC_ENABLE") is not null;

    /// <summary>
    /// False only where the environment opts out (CI and ./build.sh test never do); otherwise the pool must be in use,
    /// and a test that needs it fails rather than passes when it is not.
    /// </summary>
    private static bool PoolExpected()
    {
        TorchRuntime.EnsureLoaded();
        if (OptedOut) return false;
        Assert.True(TensorMemoryPool.Enabled, $"the pool is not in use: {TensorMemoryPool.NotEnabledReason}");
        return true;
    }

    /// <summary>A tensor's data pointer (TorchSharp's storage() would hold the memory until its finalizer runs).</summary>
    private static nint Address(Tensor t) => THSTensor_data(t.Handle);

    [DllImport("LibTorchSharp")]
    private static extern nint THSTensor_data(nint handle);

    /// <summary>
    /// Tensors other tests left to finalizers are freed first, and the pool's cached pages handed back, so a test
    /// starts from a pool holding only live tensors.
    /// </summary>
    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        TensorMemoryPool.ReleaseCached();
    }

    /// <summary>A float tensor of <paramref name="mib"/> MiB, every page written, so its pages are resident.</summary>
    private static Tensor Filled(double mib, float value) => full((long)(mib * MiB / 4), value);

    [Fact]
    public void The_pool_is_in_use_here_and_xray_info_says_so()
    {
        TorchRuntime.EnsureLoaded();
        Assert.Equal(!OptedOut, TensorMemoryPool.Enabled);
        Assert.Equal(TensorMemoryPool.Enabled ? null : TensorMemoryPool.NotEnabledReason, TensorMemoryPool.NotEnabledReason);
        Assert.StartsWith(TensorMemoryPool.Enabled ? "yes" : "no: ", TorchRuntime.Describe()["tensor memory pool"]);
    }

    [Fact]
    public void Only_libc10s_own_calls_to_free_and_posix_memalign_are_redirected()
    {
        if (!PoolExpected()) return;
        var libc10 = ElfImports.Find("libc10.so")!.Value;
        var libtorch = ElfImports.Find("libtorch_cpu.so")!.Value;
        foreach (var symbol in new[] { "free", "posix_memalign" })
        {
            var real = ElfImports.Resolve(symbol);
            var ours = ElfImports.Slots(libc10, symbol);
            Assert.NotEmpty(ours);
            // libc10's slots hold one stub per function, not glibc's function.
            Assert.Single(ours.Select(s => Marshal.ReadIntPtr(s)).Distinct());
            Assert.NotEqual(real, Marshal.ReadIntPtr(ours[0]));
            // libtorch_cpu's own imports are untouched: resolved to glibc's, or still lazily bound to its PLT.
            foreach (var slot in ElfImports.Slots(libtorch, symbol))
                Assert.NotEqual(Marshal.ReadIntPtr(ours[0]), Marshal.ReadIntPtr(slot));
            // What keeps a second copy of XRay.dll in this process from installing over the first.
            Assert.True(ElfImports.Redirected(libc10, ours, real));
            Assert.False(ElfImports.Redirected(libtorch, ElfImports.Slots(libtorch, symbol), real));
        }
    }

    private delegate int PosixMemalign(out nint block, nuint alignment, nuint size);

    private delegate void Free(nint block);

    /// <summary>libc10's own posix_memalign and free, called through its GOT slots as libtorch calls them.</summary>
    [Fact]
    public void The_stubs_send_blocks_of_a_mebibyte_and_more_to_the_pool_and_everything_else_to_glibc()
    {
        if (!PoolExpected()) return;
        var libc10 = ElfImports.Find("libc10.so")!.Value;
        T Slot<T>(string symbol) => Marshal.GetDelegateForFunctionPointer<T>(Marshal.ReadIntPtr(ElfImports.Slots(libc10, symbol)[0]));
        var posixMemalign = Slot<PosixMemalign>("posix_memalign");
        var free = Slot<Free>("free");
        nint Allocate(nuint alignment, long size)
        {
            Assert.Equal(0, posixMemalign(out var block, alignment, (nuint)size));
            Marshal.WriteByte(block, 1); // writable, first and last byte
            Marshal.WriteByte(block + (nint)size - 1, 1);
            return block;
        }

        var before = TensorMemoryPool.Statistics();
        var justUnder = Allocate(64, TensorMemoryPool.MinimumBlock - 1);
        var atThreshold = Allocate(64, TensorMemoryPool.MinimumBlock);
        var hugeAligned = Allocate(2 << 20, 4 << 20); // libtorch asks for 2 MB alignment with THP_MEM_ALLOC_ENABLE
        Assert.False(TensorMemoryPool.Owns(justUnder));
        Assert.True(TensorMemoryPool.Owns(atThreshold));
        Assert.False(TensorMemoryPool.Owns(hugeAligned));
        Assert.Equal(0, hugeAligned % (2 << 20));
        var during = TensorMemoryPool.Statistics();
        Assert.Equal(before.LiveBytes + TensorMemoryPool.MinimumBlock, during.LiveBytes);
        Assert.Equal(before.Fallbacks + 1, during.Fallbacks); // the aligned one reached the pool and went on to glibc

        free(justUnder);
        free(atThreshold);
        free(hugeAligned);
        free(0); // as glibc's free(NULL): nothing
        Assert.Equal(before.LiveBytes, TensorMemoryPool.Statistics().LiveBytes);
    }

    [Fact]
    public void Tensors_of_a_mebibyte_and_more_come_from_the_pool_and_smaller_ones_from_glibc()
    {
        if (!PoolExpected()) return;
        using var large = Filled(1, 1f);
        using var small = Filled(0.5, 1f);
        Assert.True(TensorMemoryPool.Owns(Address(large)));
        Assert.False(TensorMemoryPool.Owns(Address(small)));
        Assert.Equal(MiB / 4, large.sum().item<float>());
    }

    [Fact]
    public void A_freed_block_serves_the_next_request_that_fits_in_place()
    {
        if (!PoolExpected()) return;
        Settle();
        nint first;
        using (var t = Filled(8, 1f)) first = Address(t);
        var before = TensorMemoryPool.Statistics();
        using var again = Filled(6, 2f); // smaller: best fit cuts it from the freed 8 MiB
        var after = TensorMemoryPool.Statistics();
        Assert.Equal(first, Address(again));
        Assert.Equal(before.Reuses + 1, after.Reuses);
        Assert.Equal(before.Moves, after.Moves);
        Assert.Equal(6 * MiB / 4 * 2f, again.sum().item<float>());
    }

    [Fact]
    public void When_no_freed_block_is_large_enough_their_pages_move_into_the_new_one_instead_of_adding_memory()
    {
        if (!PoolExpected()) return;
        Settle();
        using var keep = Filled(4, 7f);
        // Three 16 MiB blocks with a live one between each: freed, they are 32 MiB resident in two separate holes.
        var a = Filled(16, 1f);
        using var wall1 = Filled(1, 3f);
        var b = Filled(16, 1f);
        using var wall2 = Filled(1, 3f);
        a.Dispose();
        b.Dispose();
        var residentBefore = PoolResidentBytes();
        var before = TensorMemoryPool.Statistics();

        using var big = Filled(30, 5f); // fits neither hole: gets both holes' pages
        var after = TensorMemoryPool.Statistics();
        var residentAfter = PoolResidentBytes();

        Assert.True(after.Moves >= before.Moves + 2, $"expected at least 2 page moves, got {after.Moves - before.Moves}");
        Assert.Equal(before.CachedBytes - 30 * MiB, after.CachedBytes);
        // The kernel's count: 30 MiB written, yet the pool's resident pages grew by far less than that (none, ideally).
        Assert.True(residentAfter - residentBefore < 4 * MiB,
            $"resident memory grew by {(residentAfter - residentBefore) / (double)MiB:F1} MiB for a 30 MiB tensor made of 32 MiB of freed pages");
        // Every tensor still holds what was written into it.
        Assert.Equal(30 * MiB / 4 * 5f, big.sum().item<float>());
        Assert.Equal(4 * MiB / 4 * 7f, keep.sum().item<float>());
        Assert.Equal(MiB / 4 * 3f, wall1.sum().item<float>());
        Assert.Equal(MiB / 4 * 3f, wall2.sum().item<float>());
    }

    [Fact]
    public void Release_cached_gives_the_freed_pages_back_to_the_system()
    {
        if (!PoolExpected()) return;
        Settle();
        Filled(64, 1f).Dispose();
        var cached = TensorMemoryPool.Statistics().CachedBytes;
        Assert.True(cached >= 64 * MiB);
        var resident = PoolResidentBytes();

        var released = TensorMemoryPool.ReleaseCached();

        Assert.Equal(cached, released);
        Assert.Equal(0, TensorMemoryPool.Statistics().CachedBytes);
        Assert.True(resident - PoolResidentBytes() >= 60 * MiB, $"resident memory fell by {(resident - PoolResidentBytes()) / (double)MiB:F1} MiB");
    }

    [Fact]
    public void Training_keeps_the_pools_resident_memory_at_the_steps_live_peak()
    {
        if (!PoolExpected()) return;
        Settle();
        using var scope = NewDisposeScope();
        var model = ModelFactory.Create(ModelFactory.BlogCnnArch, 1, 96, 96, 2, seed: 0);
        var x = rand(16, 1, 96, 96);
        var y = randint(0, 2, new long[] { 16 });
        using var optimizer = TorchSharp.torch.optim.Adam(model.parameters(), 1e-3);
        model.train();
        for (var step = 0; step < 6; step++)
            using (NewDisposeScope())
            {
                var loss = ClassifierOutput.Loss(model.call(x), y);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
            }
        var stats = TensorMemoryPool.Statistics();
        var resident = PoolResidentBytes();
        Assert.True(stats.Allocations > 0 && stats.PeakLiveBytes > 0);
        // glibc's heap grew to about twice the live peak in this kind of loop; the pool's pages stay within it.
        Assert.True(resident <= stats.PeakLiveBytes + 2 * MiB,
            $"the pool holds {resident / (double)MiB:F1} MiB resident for a live peak of {stats.PeakLiveBytes / (double)MiB:F1} MiB");
    }

    /// <summary>The kernel's resident bytes for the pool's address range, summed over /proc/self/smaps.</summary>
    private static long PoolResidentBytes()
    {
        var total = 0L;
        var inPool = false;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            var dash = line.IndexOf('-', StringComparison.Ordinal);
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (dash > 0 && space > dash && IsHex(line.AsSpan(0, dash)))
                inPool = TensorMemoryPool.Owns((nint)Convert.ToInt64(line[..dash], 16));
            else if (inPool && line.StartsWith("Rss:", StringComparison.Ordinal))
                total += long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
        return total;
    }

    private static bool IsHex(ReadOnlySpan<char> s)
    {
        foreach (var c in s) if (!char.IsAsciiHexDigit(c)) return false;
        return s.Length > 0;
    }
}
