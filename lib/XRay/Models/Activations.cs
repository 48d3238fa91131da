using static TorchSharp.torch;

namespace XRay.Models;

/// <summary>One layer's output as it ran: "features.0 Conv2d" and the (detached) tensor.</summary>
public sealed record LayerOutput(string Layer, Tensor Output);

/// <summary>What each layer of a model outputs for one input (the feature maps notebook 08 draws), via forward hooks.</summary>
public static class Activations
{
    /// <summary>
    /// Runs <paramref name="input"/> through <paramref name="model"/> in eval and inference mode and returns, in the order
    /// they ran, the outputs of the leaf layers <paramref name="which"/> selects (all leaves by default). The caller owns
    /// the tensors.
    /// </summary>
    public static List<LayerOutput> Capture(nn.Module<Tensor, Tensor> model, Tensor input, Func<nn.Module, bool>? which = null)
    {
        var outputs = new List<LayerOutput>();
        var removers = new List<Action>();
        foreach (var (name, module) in model.named_modules())
            if (name.Length > 0 && !module.children().Any() && module is nn.Module<Tensor, Tensor> layer && (which?.Invoke(module) ?? true))
            {
                var hook = layer.register_forward_hook((m, _, output) =>
                {
                    outputs.Add(new LayerOutput($"{name} {m.GetType().Name}", output.detach().clone().DetachFromDisposeScope()));
                    return output;
                });
                removers.Add(hook.remove);
            }
        var wasTraining = model.training;
        try
        {
            model.eval();
            using var scope = NewDisposeScope();
            using var _ = inference_mode();
            model.call(input);
        }
        finally
        {
            foreach (var remove in removers) remove();
            model.train(wasTraining);
        }
        return outputs;
    }
}
