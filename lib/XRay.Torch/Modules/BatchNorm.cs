using static XRay.Torch.torch;
using static XRay.Torch.torch.nn;

namespace XRay.Torch.Modules;

/// <summary>
/// Batch normalization; BatchNorm1d and BatchNorm2d differ only in the input ranks they accept.
/// State names match torchvision: weight, bias, running_mean, running_var, num_batches_tracked.
/// </summary>
public abstract class BatchNorm : Module<Tensor, Tensor>
{
    public Parameter? weight;
    public Parameter? bias;
    public Tensor? running_mean;
    public Tensor? running_var;
    public Tensor? num_batches_tracked;

    protected BatchNorm(long num_features, double eps, double? momentum, bool affine, bool track_running_stats,
        Device? device, ScalarType? dtype)
    {
        if (num_features <= 0) throw new ArgumentException($"num_features must be positive, got {num_features}.");
        (this.num_features, this.eps, this.momentum) = (num_features, eps, momentum);
        if (affine)
        {
            using var w = ones(new[] { num_features }, dtype, device);
            using var b = zeros(new[] { num_features }, dtype, device);
            weight = new Parameter(w);
            bias = new Parameter(b);
        }
        if (track_running_stats)
        {
            running_mean = Layers.Buffer(zeros(new[] { num_features }, dtype, device));
            running_var = Layers.Buffer(ones(new[] { num_features }, dtype, device));
            num_batches_tracked = Layers.Buffer(zeros(Array.Empty<long>(), ScalarType.Int64, device));
        }
    }

    public long num_features { get; }
    public double eps { get; }

    /// <summary>Weight of the newest batch in the running statistics; null means a cumulative average.</summary>
    public double? momentum { get; }

    protected abstract void CheckInput(Tensor input);

    public override Tensor forward(Tensor input)
    {
        CheckInput(input);
        var factor = momentum ?? 0.0;
        if (training && num_batches_tracked is not null)
        {
            num_batches_tracked.add_(1);
            if (momentum is null) factor = 1.0 / num_batches_tracked.item<long>();
        }
        // Without running statistics, batch statistics are used in eval too (PyTorch's rule).
        var useBatchStats = training || running_mean is null;
        return functional.batch_norm(input, running_mean, running_var, weight, bias, useBatchStats, factor, eps);
    }

    public override string GetName() => $"{GetType().Name}({num_features}, eps={eps}, momentum={momentum?.ToString() ?? "None"})";
}

/// <summary>Batch normalization over (B, C) or (B, C, L).</summary>
public sealed class BatchNorm1d : BatchNorm
{
    public BatchNorm1d(long num_features, double eps = 1e-5, double? momentum = 0.1, bool affine = true,
        bool track_running_stats = true, Device? device = null, ScalarType? dtype = null)
        : base(num_features, eps, momentum, affine, track_running_stats, device, dtype) { }

    protected override void CheckInput(Tensor input)
    {
        if (input.ndim is not (2 or 3))
            throw new ArgumentException($"BatchNorm1d expects a 2-D or 3-D input, got shape [{string.Join(", ", input.shape)}].");
    }
}

/// <summary>Batch normalization over (B, C, H, W).</summary>
public sealed class BatchNorm2d : BatchNorm
{
    public BatchNorm2d(long num_features, double eps = 1e-5, double? momentum = 0.1, bool affine = true,
        bool track_running_stats = true, Device? device = null, ScalarType? dtype = null)
        : base(num_features, eps, momentum, affine, track_running_stats, device, dtype) { }

    protected override void CheckInput(Tensor input)
    {
        if (input.ndim != 4)
            throw new ArgumentException($"BatchNorm2d expects a 4-D input (B, C, H, W), got shape [{string.Join(", ", input.shape)}].");
    }
}
