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

    /// <summary>A snapshot of tensors saved elsewhere (a checkpoint's): copies them.</summary>
    public WeightsSnapshot(IReadOnlyDictionary<string, Tensor> tensors)
    {
        using var _ = no_grad();
        copies = tensors.ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());
    }

    public IReadOnlyDictionary<string, Tensor> Tensors => copies;

    public void RestoreInto(nn.Module model) => XRay.Models.StateDicts.Load(model, copies);

    public void Dispose()
    {
        foreach (var t in copies.Values) t.Dispose();
    }
}
