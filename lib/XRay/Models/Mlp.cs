using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace XRay.Models;

/// <summary>Seed 003's baseline: Flatten, then Dense + ReLU (+ Dropout) layers, then one logit per class.</summary>
public sealed class Mlp : ClassifierModel
{
    private readonly Sequential layers;

    public Mlp(ModelSpec spec) : base(nameof(Mlp), spec)
    {
        var options = spec.Mlp ?? new MlpOptions();
        layers = Sequential(Flatten());
        long inputs = (long)spec.Channels * spec.Height * spec.Width;
        foreach (var units in options.Hidden)
        {
            if (units <= 0) throw new ArgumentException($"MLP hidden layer sizes must be positive, got {units}.");
            layers.append(Linear(inputs, units)).append(ReLU());
            if (options.Dropout > 0) layers.append(new Dropout(options.Dropout));
            inputs = units;
        }
        layers.append(Linear(inputs, spec.Classes));
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        CheckInput(input);
        return layers.call(input); // (B, C, H, W) -> (B, C*H*W) -> (B, K)
    }
}
