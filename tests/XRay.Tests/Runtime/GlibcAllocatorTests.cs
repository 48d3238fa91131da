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
}
