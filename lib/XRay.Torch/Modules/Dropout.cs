using static XRay.Torch.torch;
using static XRay.Torch.torch.nn;

namespace XRay.Torch.Modules;

/// <summary>Zeroes each element with probability p in training and scales the rest by 1/(1-p); identity in eval.</summary>
public sealed class Dropout : Module<Tensor, Tensor>
{
    public Dropout(double p = 0.5)
    {
        if (p is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(p), p, "Dropout probability must be in [0, 1].");
        this.p = p;
    }

    public double p { get; }

    public override Tensor forward(Tensor input) => functional.dropout(input, p, training);

    public override string GetName() => $"Dropout(p={p})";
}
