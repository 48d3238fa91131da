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
    public void Fp32_is_fp32_without_autocast_everywhere()
    {
        foreach (var cpu in new[] { WithBf16, WithoutBf16 })
        foreach (var device in new[] { CPU, Cuda })
        {
            var resolved = MixedPrecision.Resolve(TrainingPrecision.Fp32, device, cpu);
            Assert.Equal(TrainingPrecision.Fp32, resolved.Mode);
            Assert.Null(resolved.AutocastType);
            Assert.False(resolved.ScalesLoss);
        }
    }

    [Fact]
    public void Auto_is_bf16_for_a_one_channel_network_on_a_cpu_with_bf16_instructions_and_says_why()
    {
        var resolved = MixedPrecision.Resolve(TrainingPrecision.Auto, CPU, WithBf16, inputChannels: 1);
        Assert.Equal(TrainingPrecision.Bf16, resolved.Mode);
        Assert.Equal(ScalarType.BFloat16, resolved.AutocastType);
        Assert.False(resolved.ScalesLoss);
        Assert.Equal("bf16", resolved.Name);
        Assert.Contains("auto", resolved.Reason);
        Assert.Contains("avx512_bf16", resolved.Reason);      // which instructions it found
        Assert.Contains("--precision fp32", resolved.Reason); // and how to turn it off
        var amx = CpuFlags.Parse("flags : amx_bf16 amx_tile");
        Assert.Equal(TrainingPrecision.Bf16, MixedPrecision.Resolve(TrainingPrecision.Auto, CPU, amx, inputChannels: 1).Mode);
    }

    [Fact]
    public void Auto_is_fp32_where_bf16_was_not_measured_at_the_same_accuracy_or_cannot_run_fast()
    {
        // 3 channels (the ImageNet networks), unknown channels, a CPU without bf16 instructions, CUDA: each says why.
        var cases = new (Device Device, CpuFlags Cpu, int? Channels, string Why)[]
        {
            (CPU, WithBf16, 3, "3 input channels"),
            (CPU, WithBf16, null, "input channels are unknown"),
            (CPU, WithoutBf16, 1, "no bf16 instructions"),
            (Cuda, WithBf16, 1, "CUDA"),
        };
        foreach (var (device, cpu, channels, why) in cases)
        {
            var resolved = MixedPrecision.Resolve(TrainingPrecision.Auto, device, cpu, channels);
            Assert.Equal(TrainingPrecision.Fp32, resolved.Mode);
            Assert.Null(resolved.AutocastType);
            Assert.Contains(why, resolved.Reason);
        }
        Assert.Contains("--precision bf16", MixedPrecision.Resolve(TrainingPrecision.Auto, CPU, WithBf16, 3).Reason); // the way in
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
