namespace XRay.Training;

/// <summary>The arithmetic of a training step's forward pass. Weights, optimizer state and checkpoints are fp32 in every mode.</summary>
public enum TrainingPrecision
{
    /// <summary>
    /// bf16 for a 1-channel network on a CPU with avx512_bf16 or amx_bf16, where it was measured faster at the same
    /// accuracy; fp32 elsewhere (see <see cref="MixedPrecision.Resolve"/>).
    /// </summary>
    Auto,

    /// <summary>Everything in fp32.</summary>
    Fp32,

    /// <summary>
    /// libtorch's autocast with bfloat16: convolutions and matrix products in bf16, batch norm and the loss in fp32 (as
    /// PyTorch's torch.autocast(dtype=torch.bfloat16)). On a CPU it needs avx512_bf16 or amx_bf16.
    /// </summary>
    Bf16,

    /// <summary>Autocast with float16 and dynamic loss scaling (<see cref="GradScaler"/>), as torch.cuda.amp; CUDA only.</summary>
    Fp16,
}
