using XRay.Runtime;

namespace XRay.Tests.Runtime;

public class CpuFlagsTests
{
    private const string CooperLake = "processor\t: 0\nmodel name\t: Intel(R) Xeon(R)\nflags\t\t: fpu sse2 avx2 avx512f avx512_bf16 avx512_vnni\nbugs\t\t: spectre_v1\n\nprocessor\t: 1\nflags\t\t: fpu\n";

    [Fact]
    public void Reads_the_first_processors_flags_line()
    {
        var flags = CpuFlags.Parse(CooperLake);
        Assert.True(flags.Has("avx512_bf16"));
        Assert.True(flags.HasBf16);
        Assert.False(flags.Has("spectre_v1")); // the bugs line is not flags
        Assert.Equal("avx512f avx512_bf16", flags.Bf16Summary);
    }

    [Fact]
    public void Amx_counts_as_bf16_and_avx2_alone_does_not()
    {
        Assert.True(CpuFlags.Parse("flags : avx2 amx_bf16 amx_tile").HasBf16);
        var old = CpuFlags.Parse("flags : fpu avx2 fma");
        Assert.False(old.HasBf16);
        Assert.Equal("none", old.Bf16Summary);
        Assert.False(CpuFlags.Parse("").HasBf16);
    }

    [Fact]
    public void This_machines_flags_agree_with_proc_cpuinfo()
    {
        if (!File.Exists("/proc/cpuinfo")) return;
        var text = File.ReadAllText("/proc/cpuinfo");
        Assert.Equal(text.Contains(" avx512_bf16", StringComparison.Ordinal) || text.Contains(" amx_bf16", StringComparison.Ordinal),
            CpuFlags.Current.HasBf16);
    }
}
