using TorchSharp.Modules;
using static TorchSharp.torch;

namespace XRay.Models;

/// <summary>
/// Keras' kernel_regularizer: l1·Σ|w| + l2·Σw² over the kernels (convolution and dense weights, not biases or
/// batch-norm scales), added to the loss. Note Keras' L2 has no ½.
/// </summary>
public static class Regularization
{
    /// <summary>The penalty as a scalar tensor, or null when both factors are 0 or there are no kernels.</summary>
    public static Tensor? Penalty(IEnumerable<Tensor> kernels, double l1, double l2)
    {
        if (l1 < 0 || l2 < 0) throw new ArgumentOutOfRangeException(nameof(l1), $"L1 and L2 must be >= 0, got {l1} and {l2}.");
        if (l1 == 0 && l2 == 0) return null;
        Tensor? total = null;
        foreach (var w in kernels)
        {
            if (l1 > 0) total = Accumulate(total, w.abs(), l1);
            if (l2 > 0) total = Accumulate(total, w.square(), l2);
        }
        return total;
    }

    private static Tensor Accumulate(Tensor? total, Tensor elementwise, double factor)
    {
        using (elementwise)
        using (var sum = elementwise.sum())
        {
            var term = sum.mul(factor);
            if (total is null) return term;
            using (total)
            using (term)
                return total.add(term);
        }
    }

    /// <summary>The weights of every Conv2d and Linear below the module that still learn.</summary>
    public static IEnumerable<Tensor> Kernels(nn.Module module) =>
        module.modules()
            .Select(m => m switch { Conv2d c => (Tensor)c.weight, Linear l => l.weight, _ => null })
            .Where(w => w is not null && w.requires_grad)
            .Select(w => w!);
}
