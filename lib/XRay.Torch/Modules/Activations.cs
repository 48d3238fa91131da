using static XRay.Torch.torch;
using static XRay.Torch.torch.nn;

namespace XRay.Torch.Modules;

/// <summary>max(x, 0).</summary>
public sealed class ReLU : Module<Tensor, Tensor>
{
    public override Tensor forward(Tensor input) => input.relu();
}

/// <summary>min(max(x, 0), 6).</summary>
public sealed class ReLU6 : Module<Tensor, Tensor>
{
    public override Tensor forward(Tensor input) => input.relu6();
}

/// <summary>max(x, 0) + slope · min(x, 0).</summary>
public sealed class LeakyReLU(double negative_slope = 0.01) : Module<Tensor, Tensor>
{
    public double negative_slope { get; } = negative_slope;

    public override Tensor forward(Tensor input) => functional.leaky_relu(input, negative_slope);
}

/// <summary>x·Φ(x), the smooth ReLU seed 000 shows.</summary>
public sealed class GELU(string approximate = "none") : Module<Tensor, Tensor>
{
    public string approximate { get; } = approximate is "none" or "tanh"
        ? approximate
        : throw new ArgumentException($"approximate must be \"none\" or \"tanh\", got \"{approximate}\"", nameof(approximate));

    public override Tensor forward(Tensor input) => functional.gelu(input, approximate);
}

public sealed class Sigmoid : Module<Tensor, Tensor>
{
    public override Tensor forward(Tensor input) => input.sigmoid();
}

public sealed class Tanh : Module<Tensor, Tensor>
{
    public override Tensor forward(Tensor input) => input.tanh();
}

/// <summary>Softmax along dim (the class dimension, 1, for (B, C) logits).</summary>
public sealed class Softmax(long dim) : Module<Tensor, Tensor>
{
    public long dim { get; } = dim;

    public override Tensor forward(Tensor input) => input.softmax(dim);
}

public sealed class LogSoftmax(long dim) : Module<Tensor, Tensor>
{
    public long dim { get; } = dim;

    public override Tensor forward(Tensor input) => input.log_softmax(dim);
}

/// <summary>Passes its input through, a placeholder when a layer is switched off.</summary>
public sealed class Identity : Module<Tensor, Tensor>
{
    public override Tensor forward(Tensor input) => input.alias();
}
