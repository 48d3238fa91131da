using XRay.Runtime;
using static TorchSharp.torch;

namespace XRay.Training;

/// <summary>What a requested <see cref="TrainingPrecision"/> becomes on a device: the mode, autocast's dtype (null for fp32) and why.</summary>
public sealed record MixedPrecision(TrainingPrecision Mode, ScalarType? AutocastType, string Reason)
{
    public static MixedPrecision Fp32(string reason) => new(TrainingPrecision.Fp32, null, reason);

    /// <summary>Whether the step scales the loss (fp16's narrow exponent would flush small gradients to zero without it).</summary>
    public bool ScalesLoss => Mode == TrainingPrecision.Fp16;

    /// <summary>"fp32", "bf16", "fp16": as the CLI spells it.</summary>
    public string Name => Mode.ToString().ToLowerInvariant();

    /// <summary>
    /// Checks <paramref name="requested"/> against <paramref name="device"/> and the CPU's flags (default: this machine's),
    /// throwing an ArgumentException that names the value and what to do where it cannot run:
    /// fp16 anywhere but CUDA, bf16 on a CPU without avx512_bf16 or amx_bf16 (libtorch would emulate it, slower than fp32).
    /// Auto is fp32: on the avx512_bf16 CPU we have, bf16 was not reliably faster for 1-channel models (whose first
    /// convolution must stay fp32, see Autocast.KeepNchwConvolutionsInFp32); bench/README.md, "Mixed precision", has the
    /// numbers. No machine with AMX or a GPU has been measured yet.
    /// </summary>
    public static MixedPrecision Resolve(TrainingPrecision requested, Device device, CpuFlags? cpu = null)
    {
        cpu ??= CpuFlags.Current;
        var onCuda = device.type == TorchSharp.DeviceType.CUDA;
        switch (requested)
        {
            case TrainingPrecision.Auto:
                return Fp32("auto: fp32, since bf16 is not yet measured reliably faster (bench/README.md, \"Mixed precision\")");
            case TrainingPrecision.Fp32:
                return Fp32("fp32 as asked");
            case TrainingPrecision.Bf16 when onCuda:
                return new MixedPrecision(TrainingPrecision.Bf16, ScalarType.BFloat16, "bf16 autocast on CUDA");
            case TrainingPrecision.Bf16 when device.type == TorchSharp.DeviceType.CPU:
                if (!cpu.HasBf16)
                    throw new ArgumentException(
                        "Precision bf16 needs a CPU with avx512_bf16 or amx_bf16 instruction support; this CPU has neither " +
                        $"(bf16-related flags: {cpu.Bf16Summary}), so libtorch would emulate bf16, slower than fp32. " +
                        "Use --precision fp32 (or auto), or train on a CUDA device.");
                return new MixedPrecision(TrainingPrecision.Bf16, ScalarType.BFloat16, $"bf16 autocast on the CPU ({cpu.Bf16Summary})");
            case TrainingPrecision.Fp16 when onCuda:
                return new MixedPrecision(TrainingPrecision.Fp16, ScalarType.Float16, "fp16 autocast with dynamic loss scaling on CUDA");
            case TrainingPrecision.Fp16:
                throw new ArgumentException(
                    $"Precision fp16 runs on CUDA only, and this run is on {device.type.ToString().ToLowerInvariant()}: libtorch's CPU " +
                    "kernels have no fast fp16 path and fp16 training needs loss scaling. " +
                    (cpu.HasBf16 ? "This CPU has bf16 instructions: use --precision bf16, or fp32." : "Use --precision fp32."));
            default:
                throw new ArgumentException($"Precision {requested} is not supported on {device.type}.");
        }
    }
}
