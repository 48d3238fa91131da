using static TorchSharp.torch;

namespace XRay.Models;

/// <summary>One layer's output as it ran: "features.0 Conv2d" and the (detached) tensor.</summary>
public sealed record LayerOutput(string Layer, Tensor Output);

/// <summary>What each layer of a model outputs for one input (the feature maps notebook 08 draws), via forward hooks.</summary>
public static class Activations
{
    /// <summary>
    /// Runs <paramref name="input"/> through <paramref name="model"/> in eval mode without gradients and returns, in the order
    /// they ran, the outputs of the leaf layers <paramref name="which"/> selects (all leaves by default). The caller owns
    /// the tensors.
    /// </summary>
    public static List<LayerOutput> Capture(nn.Module<Tensor, Tensor> model, Tensor input, Func<nn.Module, bool>? which = null)
    {
        var outputs = new List<LayerOutput>();
        LayerHooks.Run(model, input, which, (name, layer, output) =>
            outputs.Add(new LayerOutput($"{name} {layer.GetType().Name}", output.detach().clone().DetachFromDisposeScope())));
        return outputs;
    }
}
