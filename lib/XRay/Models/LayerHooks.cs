using static TorchSharp.torch;

namespace XRay.Models;

/// <summary>Runs a model once and reports what each leaf layer output, through forward hooks (the summary and the feature maps).</summary>
internal static class LayerHooks
{
    /// <summary>
    /// Runs <paramref name="input"/> through <paramref name="model"/> in eval mode without gradients, calling
    /// <paramref name="onOutput"/>(name, layer, output) for each leaf layer <paramref name="which"/> selects (all by
    /// default), in the order they ran. The model's mode is restored and the hooks removed afterwards; the outputs
    /// belong to a dispose scope that ends with the run, so copy what must outlive it.
    /// </summary>
    public static void Run(nn.Module<Tensor, Tensor> model, Tensor input, Func<nn.Module, bool>? which,
        Action<string, nn.Module, Tensor> onOutput)
    {
        var removers = new List<Action>();
        foreach (var (name, module) in model.named_modules())
            if (name.Length > 0 && !module.children().Any() && module is nn.Module<Tensor, Tensor> layer && (which?.Invoke(module) ?? true))
            {
                var hook = layer.register_forward_hook((m, _, output) =>
                {
                    onOutput(name, m, output);
                    return output; // unchanged
                });
                removers.Add(hook.remove);
            }
        var eval = EvalMode.Enter(model);
        try
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            model.call(input);
        }
        finally
        {
            foreach (var remove in removers) remove();
            eval.Dispose();
        }
    }
}
