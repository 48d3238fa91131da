using XRay.Runtime;
using XRay.Training;
using static TorchSharp.torch;

namespace XRay.Tests.Training;

public class MixedPrecisionTests
{
    private static readonly CpuFlags WithBf16 = CpuFlags.Parse("flags : avx2 avx512f avx512_bf16");
    private static readonly CpuFlags WithoutBf16 = CpuFlags.Parse("flags : avx2 fma");
    private static readonly Device Cuda = new(TorchSharp.DeviceType.CUDA, 0);

    [Fact]
    public void Auto_and_fp32_are_fp32_without_autocast()
    {
        foreach (var requested in new[] { TrainingPrecision.Auto, TrainingPrecision.Fp32 })
        foreach (var cpu in new[] { WithBf16, WithoutBf16 })
        {
            var resolved = MixedPrecision.Resolve(requested, CPU, cpu);
            Assert.Equal(TrainingPrecision.Fp32, resolved.Mode);
            Assert.Null(resolved.AutocastType);
            Assert.False(resolved.ScalesLoss);
        }
    }

    [Fact]
    public void Bf16_runs_on_a_cpu_with_bf16_instructions_and_on_cuda()
    {
        var cpu = MixedPrecision.Resolve(TrainingPrecision.Bf16, CPU, WithBf16);
        Assert.Equal(ScalarType.BFloat16, cpu.AutocastType);
        Assert.Contains("avx512_bf16", cpu.Reason);
        Assert.Equal("bf16", cpu.Name);
        Assert.Equal(ScalarType.BFloat16, MixedPrecision.Resolve(TrainingPrecision.Bf16, Cuda, WithoutBf16).AutocastType);
    }

    [Fact]
    public void Bf16_on_a_cpu_without_bf16_instructions_is_refused_naming_the_flags_and_the_way_out()
    {
        var e = Assert.Throws<ArgumentException>(() => MixedPrecision.Resolve(TrainingPrecision.Bf16, CPU, WithoutBf16));
        Assert.Contains("bf16", e.Message);
        Assert.Contains("avx512_bf16 or amx_bf16", e.Message);
        Assert.Contains("--precision fp32", e.Message);
    }

    [Fact]
    public void Fp16_is_cuda_only_with_loss_scaling()
    {
        var e = Assert.Throws<ArgumentException>(() => MixedPrecision.Resolve(TrainingPrecision.Fp16, CPU, WithBf16));
        Assert.Contains("fp16 runs on CUDA only", e.Message);
        Assert.Contains("--precision bf16", e.Message); // this CPU could
        Assert.DoesNotContain("--precision bf16", Assert.Throws<ArgumentException>(() =>
            MixedPrecision.Resolve(TrainingPrecision.Fp16, CPU, WithoutBf16)).Message);

        var cuda = MixedPrecision.Resolve(TrainingPrecision.Fp16, Cuda, WithoutBf16);
        Assert.Equal(ScalarType.Float16, cuda.AutocastType);
        Assert.True(cuda.ScalesLoss);
    }
}
