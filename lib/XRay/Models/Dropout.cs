using TorchSharp;
using XRay.Runtime;
using static TorchSharp.torch;

namespace XRay.Models;

/// <summary>
/// <c>torch.nn.Dropout</c> (Keras' <c>Dropout</c>): in training, zeroes each input value with probability
/// <see cref="P"/> and scales the others by 1 / (1 - p); in eval mode, the identity. It computes what libtorch's
/// dropout computes, <c>input * noise</c> with <c>noise</c> (the input's dtype and layout) holding 0 or 1 / (1 - p),
/// and backpropagates the same way (the gradient times <c>noise</c>). Only the noise is drawn differently: on the CPU
/// it comes from <see cref="DropoutNoise"/>, on every core, where libtorch draws it on one (15 ms of seed 002's
/// training step); on other devices and for other dtypes, and with <c>XRAY_DROPOUT_NOISE=0</c>, it calls libtorch's dropout.
/// </summary>
public sealed class Dropout : nn.Module<Tensor, Tensor>
{
    public Dropout(double p = 0.5, bool inplace = false) : base(nameof(Dropout))
    {
        if (!(p >= 0 && p <= 1))
            throw new ArgumentOutOfRangeException(nameof(p), p, "Dropout's probability must be between 0 and 1 (0.2 drops a fifth of the values).");
        P = p;
        Inplace = inplace;
    }

    /// <summary>The probability that a value is zeroed.</summary>
    public double P { get; }

    /// <summary>Multiply the input in place instead of returning a new tensor.</summary>
    public bool Inplace { get; }

    public override Tensor forward(Tensor input)
    {
        // Always a new Tensor object, never the input's: Sequential disposes each layer's input after the layer runs.
        if (!training || P == 0) return input.alias();
        if (!DropoutNoise.Enabled || !DropoutNoise.Handles(input)) return nn.functional.dropout(input, P, training: true, inplace: Inplace);
        using var noise = DropoutNoise.Draw(input, P);
        return Inplace ? input.mul_(noise).alias() : input.mul(noise);
    }
}
