using static TorchSharp.torch;

namespace XRay.Training;

/// <summary>
/// What a callback keeps between epochs, as a checkpoint stores it (Lightning's callback state_dict): numbers by name
/// (±infinity allowed, e.g. a best value not yet set), and tensors where numbers are not enough (EarlyStopping's best
/// weights). The checkpoint owns the tensors; a callback copies what it keeps.
/// </summary>
public sealed record CallbackState(IReadOnlyDictionary<string, double> Values, IReadOnlyDictionary<string, Tensor>? Tensors = null)
{
    /// <summary>A value by name, with a clear error naming the callback's key when the checkpoint lacks it.</summary>
    public double Get(string name, string key) =>
        Values.TryGetValue(name, out var v) ? v
            : throw new InvalidDataException($"The checkpoint's state for {key} has no '{name}'; it was written by another version.");
}
