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
    /// <para>
    /// Auto picks bf16 only where it was measured faster at the same accuracy (bench/README.md, "Mixed precision"): a
    /// network with one input channel (<paramref name="inputChannels"/>: the X-rays' gray) on a CPU with those
    /// instructions. Everywhere else it is fp32: with 3 channels, which here means the ImageNet networks, bf16 was not shown
    /// to keep fp32's accuracy (fine-tuning ImageNet weights ended 2 points lower on average, with runs from 11 points lower
    /// to 6 higher, and the test of notebook 07's claim that pretrained beats scratch failed under it); on CUDA nothing is measured
    /// yet; and where the channels are unknown (null: a module that is not a ClassifierModel).
    /// </para>
    /// </summary>
    public static MixedPrecision Resolve(TrainingPrecision requested, Device device, CpuFlags? cpu = null, int? inputChannels = null)
    {
        cpu ??= CpuFlags.Current;
        var onCuda = device.type == TorchSharp.DeviceType.CUDA;
        switch (requested)
        {
            case TrainingPrecision.Auto:
                return ResolveAuto(device, cpu, inputChannels);
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

    private static MixedPrecision ResolveAuto(Device device, CpuFlags cpu, int? inputChannels)
    {
        const string Why = "bench/README.md, \"Mixed precision\"";
        if (device.type == TorchSharp.DeviceType.CUDA)
            return Fp32("auto: fp32 on CUDA, where bf16 and fp16 are not measured yet; ask for bf16 or fp16 to use them");
        if (device.type != TorchSharp.DeviceType.CPU) return Fp32($"auto: fp32 on {device.type}");
        if (!cpu.HasBf16)
            return Fp32($"auto: fp32, since this CPU has no bf16 instructions (avx512_bf16 or amx_bf16; bf16-related flags: {cpu.Bf16Summary})");
        return inputChannels switch
        {
            1 => new MixedPrecision(TrainingPrecision.Bf16, ScalarType.BFloat16,
                $"auto: bf16 autocast, since this CPU has bf16 instructions ({cpu.Bf16Summary}) and 1-channel networks train faster " +
                $"in bf16 at the same accuracy ({Why}); --precision fp32 turns it off"),
            null => Fp32("auto: fp32, since the network's input channels are unknown (auto picks bf16 for 1-channel ClassifierModels only)"),
            _ => Fp32($"auto: fp32 with {inputChannels} input channels, which here means an ImageNet network, where bf16 was not shown " +
                $"to keep fp32's accuracy ({Why}); --precision bf16 asks for it"),
        };
    }
}
