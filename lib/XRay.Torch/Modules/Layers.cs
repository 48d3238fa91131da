using static XRay.Torch.torch;
using static XRay.Torch.torch.nn;

namespace XRay.Torch.Modules;

/// <summary>Initialization shared by Conv2d and Linear.</summary>
internal static class Layers
{
    public static Parameter CreateBias(long features, ScalarType? dtype, Device? device)
    {
        using var b = empty(new[] { features }, dtype, device);
        return new Parameter(b);
    }

    /// <summary>Uniform in ±1/√fan_in of the weight, PyTorch's default for a bias.</summary>
    public static void UniformByFanIn(Tensor bias, Tensor weight)
    {
        var (fanIn, _) = init.calculate_fan_in_and_fan_out(weight);
        var bound = fanIn > 0 ? 1 / Math.Sqrt(fanIn) : 0;
        init.uniform_(bias, -bound, bound);
    }

    /// <summary>A buffer owned by its module rather than by the current DisposeScope.</summary>
    public static Tensor Buffer(Tensor t) => t.DetachFromDisposeScope();
}
