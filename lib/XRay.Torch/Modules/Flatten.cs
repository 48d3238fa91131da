using static XRay.Torch.torch;
using static XRay.Torch.torch.nn;

namespace XRay.Torch.Modules;

/// <summary>Flattens dims start_dim..end_dim; the default keeps the batch: (B, C, H, W) → (B, C·H·W).</summary>
public sealed class Flatten(long start_dim = 1, long end_dim = -1) : Module<Tensor, Tensor>
{
    public long start_dim { get; } = start_dim;
    public long end_dim { get; } = end_dim;

    public override Tensor forward(Tensor input) => input.flatten(start_dim, end_dim);
}
