using static TorchSharp.torch;

namespace XRay.Models;

/// <summary>
/// Loads a state dict into a module with errors that say what is wrong. TorchSharp's load_state_dict(strict) throws
/// "not identical" without naming keys, and copy_ on a shape mismatch gives libtorch's bare message.
/// </summary>
public static class StateDicts
{
    /// <summary>
    /// Copies <paramref name="state"/> into <paramref name="module"/>. Strict: the keys must match exactly. Either way,
    /// every shared key must have the same shape. <paramref name="source"/> names the file in messages.
    /// </summary>
    public static void Load(nn.Module module, IReadOnlyDictionary<string, Tensor> state, bool strict = true, string? source = null)
    {
        var own = module.state_dict();
        var from = source is null ? "" : $" from '{source}'";
        if (strict)
        {
            var missing = own.Keys.Where(k => !state.ContainsKey(k)).ToList();
            var unexpected = state.Keys.Where(k => !own.ContainsKey(k)).ToList();
            if (missing.Count > 0 || unexpected.Count > 0)
                throw new InvalidDataException(
                    $"The weights{from} do not fit {module.GetName()}: " +
                    (missing.Count > 0 ? $"{missing.Count} missing ({Few(missing)})" : "none missing") + ", " +
                    (unexpected.Count > 0 ? $"{unexpected.Count} unexpected ({Few(unexpected)})" : "none unexpected") +
                    ". Is it the same architecture, input channels and class count?");
        }
        var mismatched = state.Where(kv => own.TryGetValue(kv.Key, out var t) && !t.shape.SequenceEqual(kv.Value.shape))
            .Select(kv => $"{kv.Key}: file [{string.Join(", ", kv.Value.shape)}], model [{string.Join(", ", own[kv.Key].shape)}]")
            .ToList();
        if (mismatched.Count > 0)
            throw new InvalidDataException($"The weights{from} do not fit {module.GetName()}: {mismatched.Count} shape(s) differ ({Few(mismatched)}).");
        using var _ = no_grad();
        foreach (var (key, value) in state)
            if (own.TryGetValue(key, out var target)) target.copy_(value);
    }

    private static string Few(IReadOnlyList<string> items) =>
        string.Join(", ", items.Take(3)) + (items.Count > 3 ? ", ..." : "");
}
