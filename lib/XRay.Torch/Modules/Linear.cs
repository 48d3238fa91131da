using static XRay.Torch.torch;
using static XRay.Torch.torch.nn;

namespace XRay.Torch.Modules;

/// <summary>y = x·Wᵀ + b over the last dimension (Keras' Dense without the activation).</summary>
public sealed class Linear : Module<Tensor, Tensor>
{
    public Parameter weight;
    public Parameter? bias;

    public Linear(long in_features, long out_features, bool hasBias = true, Device? device = null, ScalarType? dtype = null)
    {
        if (in_features <= 0 || out_features <= 0)
            throw new ArgumentException($"Linear needs positive sizes, got in_features={in_features}, out_features={out_features}.");
        (this.in_features, this.out_features) = (in_features, out_features);
        using var w = empty(new[] { out_features, in_features }, dtype, device);
        weight = new Parameter(w);
        bias = hasBias ? Layers.CreateBias(out_features, dtype, device) : null;
        reset_parameters();
    }

    public long in_features { get; }
    public long out_features { get; }

    public void reset_parameters()
    {
        init.kaiming_uniform_(weight, a: Math.Sqrt(5));
        if (bias is not null) Layers.UniformByFanIn(bias, weight);
    }

    public override Tensor forward(Tensor input) => functional.linear(input, weight, bias);

    public override string GetName() =>
        $"Linear(in_features={in_features}, out_features={out_features}, bias={(bias is null ? "False" : "True")})";
}
