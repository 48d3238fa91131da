using static TorchSharp.torch;

namespace XRay.Training;

/// <summary>
/// Dynamic loss scaling for fp16 training, as torch.cuda.amp.GradScaler: the loss is multiplied by <see cref="Scale"/>
/// before backward so small gradients survive fp16's range; the gradients are divided back before the optimizer step;
/// a step whose gradients overflowed is skipped and the scale halved; after <see cref="GrowthInterval"/> good steps in a
/// row the scale doubles. The defaults are PyTorch's.
/// </summary>
public sealed class GradScaler
{
    public GradScaler(double initialScale = 65536.0, double growthFactor = 2.0, double backoffFactor = 0.5, int growthInterval = 2000)
    {
        if (initialScale <= 0 || !double.IsFinite(initialScale)) throw new ArgumentOutOfRangeException(nameof(initialScale), initialScale, "The scale must be positive and finite.");
        if (growthFactor <= 1) throw new ArgumentOutOfRangeException(nameof(growthFactor), growthFactor, "The growth factor must be above 1.");
        if (backoffFactor is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(backoffFactor), backoffFactor, "The backoff factor must be between 0 and 1.");
        if (growthInterval < 1) throw new ArgumentOutOfRangeException(nameof(growthInterval), growthInterval, "The growth interval must be at least 1.");
        Scale = initialScale;
        GrowthFactor = growthFactor;
        BackoffFactor = backoffFactor;
        GrowthInterval = growthInterval;
    }

    /// <summary>The current loss scale (PyTorch's default start: 2^16).</summary>
    public double Scale { get; private set; }

    public double GrowthFactor { get; }

    public double BackoffFactor { get; }

    public int GrowthInterval { get; }

    /// <summary>Steps in a row without overflow since the scale last changed.</summary>
    public int GoodSteps { get; private set; }

    /// <summary>Optimizer steps skipped because a gradient was infinite or NaN.</summary>
    public int SkippedSteps { get; private set; }

    /// <summary>The loss to call backward on: <paramref name="loss"/> × <see cref="Scale"/>.</summary>
    public Tensor ScaleLoss(Tensor loss) => loss * Scale;

    /// <summary>
    /// Divides every gradient of <paramref name="parameters"/> by the scale, then steps <paramref name="optimizer"/> if all
    /// are finite, and updates the scale. Returns whether the step was taken.
    /// </summary>
    public bool Step(optim.Optimizer optimizer, IEnumerable<Tensor> parameters)
    {
        var finite = Unscale(parameters);
        if (finite) optimizer.step();
        Update(finite);
        return finite;
    }

    /// <summary>Divides the gradients by the scale in place; returns whether they are all finite (one host sync).</summary>
    public bool Unscale(IEnumerable<Tensor> parameters)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var checks = new List<Tensor>();
        foreach (var p in parameters)
        {
            if (p.grad is not { } grad) continue;
            grad.mul_(1.0 / Scale);
            checks.Add(isfinite(grad).all());
        }
        return checks.Count == 0 || stack(checks).all().item<bool>();
    }

    /// <summary>After a step: back off on overflow, grow after <see cref="GrowthInterval"/> good steps.</summary>
    public void Update(bool finite)
    {
        if (!finite)
        {
            Scale *= BackoffFactor;
            GoodSteps = 0;
            SkippedSteps++;
            return;
        }
        if (++GoodSteps < GrowthInterval) return;
        // fp32 tops out near 3.4e38; PyTorch keeps the scale finite the same way.
        if (double.IsFinite((float)(Scale * GrowthFactor))) Scale *= GrowthFactor;
        GoodSteps = 0;
    }
}
