using XRay.Runtime;

namespace XRay.Tests.Runtime;

public class GlibcAllocatorTests
{
    [Fact]
    public void Freed_large_blocks_are_kept_unless_the_user_tunes_malloc()
    {
        TorchRuntime.EnsureLoaded();
        var userTuned = Environment.GetEnvironmentVariables().Keys.Cast<string>().Any(k => k.StartsWith("MALLOC_", StringComparison.Ordinal))
                        || Environment.GetEnvironmentVariable("XRAY_KEEP_FREED_MEMORY") == "0";
        Assert.Equal(!userTuned, GlibcAllocator.KeepsFreedMemory);
        Assert.Equal(GlibcAllocator.KeepsFreedMemory ? "yes" : "no", TorchRuntime.Describe()["glibc keeps freed memory"]);
    }

    [Fact]
    public void Share_one_arena_adds_the_tunable_once_and_keeps_the_others()
    {
        var empty = new Dictionary<string, string?>();
        GlibcAllocator.ShareOneArena(empty);
        Assert.Equal("glibc.malloc.arena_max=1", empty["GLIBC_TUNABLES"]);

        var other = new Dictionary<string, string?> { ["GLIBC_TUNABLES"] = "glibc.malloc.tcache_count=0" };
        GlibcAllocator.ShareOneArena(other);
        GlibcAllocator.ShareOneArena(other);
        Assert.Equal("glibc.malloc.tcache_count=0:glibc.malloc.arena_max=1", other["GLIBC_TUNABLES"]);

        // A user's own one-arena setting is left as it is.
        var user = new Dictionary<string, string?> { ["MALLOC_ARENA_MAX"] = "1" };
        GlibcAllocator.ShareOneArena(user);
        Assert.False(user.ContainsKey("GLIBC_TUNABLES"));
    }

    [Fact]
    public void Xray_info_says_how_large_blocks_are_served_off_the_main_thread()
    {
        var line = TorchRuntime.Describe()["blocks over 64 MB off the main thread"];
        var expected = TensorMemoryPool.Enabled ? "kept for reuse (tensor memory pool)"
            : GlibcAllocator.SharesOneArena && GlibcAllocator.KeepsFreedMemory ? "kept for reuse (one shared heap)"
            : GlibcAllocator.HugePagesOffTheMainThread ? "mapped afresh, on huge pages" : "mapped afresh";
        Assert.Equal(expected, line);
        // Huge pages are asked for only through the native environment libtorch reads.
        if (GlibcAllocator.HugePagesOffTheMainThread) Assert.Equal("1", NativeGetenv("THP_MEM_ALLOC_ENABLE"));
    }

    [System.Runtime.InteropServices.DllImport("libc.so.6", EntryPoint = "getenv")]
    private static extern IntPtr getenv([System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string name);

    private static string? NativeGetenv(string name) => System.Runtime.InteropServices.Marshal.PtrToStringUTF8(getenv(name));
}
