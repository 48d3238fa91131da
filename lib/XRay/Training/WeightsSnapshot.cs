using static TorchSharp.torch;

namespace XRay.Training;

/// <summary>A copy of a model's parameters and buffers (Keras' get_weights), to restore later (set_weights).</summary>
internal sealed class WeightsSnapshot : IDisposable
{
    private readonly Dictionary<string, Tensor> copies;

    public WeightsSnapshot(nn.Module model)
    {
        using var _ = no_grad();
        copies = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());
    }

    public void RestoreInto(nn.Module model) => model.load_state_dict(copies);

    public void Dispose()
    {
        foreach (var t in copies.Values) t.Dispose();
    }
}
