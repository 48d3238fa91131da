using static TorchSharp.torch;

namespace XRay.Models;

/// <summary>
/// Eval mode (dropout off, batch norm on its running statistics) for the span of a <c>using</c>, then back to the mode
/// the module was in. The one place inference switches modes: <see cref="Inference"/> (evaluation, prediction, the web
/// app), <see cref="GradCam"/>, <see cref="LayerHooks"/> and the feature extractor enter it, so a model handed over in
/// training mode (mid-fit, from a notebook cell) is predicted as trained and goes on training afterwards.
/// </summary>
public readonly struct EvalMode : IDisposable
{
    private readonly nn.Module module;
    private readonly bool wasTraining;

    private EvalMode(nn.Module module)
    {
        this.module = module;
        wasTraining = module.training;
        module.eval();
    }

    /// <summary>Switches <paramref name="module"/> (and its children) to eval mode until the result is disposed.</summary>
    public static EvalMode Enter(nn.Module module) => new(module);

    public void Dispose() => module?.train(wasTraining);
}
