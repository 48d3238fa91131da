using XRay.Data;
using XRay.Metrics;
using XRay.Models;
using XRay.Runtime;
using XRay.Training;
using static TorchSharp.torch;

namespace XRay.Inference;

/// <summary>A CNN checkpoint's model, ready to predict (eval mode, on one device).</summary>
public sealed class CheckpointPredictor : IImagePredictor
{
    private readonly Device device;

    private CheckpointPredictor(Checkpoint checkpoint, ClassifierModel model, Device device)
    {
        Checkpoint = checkpoint;
        Model = model;
        this.device = device;
    }

    public Checkpoint Checkpoint { get; }

    public ClassifierModel Model { get; }

    public IReadOnlyList<string> ClassNames => Checkpoint.ClassNames;

    public Preprocessing Preprocessing => Checkpoint.Preprocessing;

    public long SplitSeed => Checkpoint.Options?.Seed ?? 0;

    public static CheckpointPredictor Load(string path, Device? device = null)
    {
        var checkpoint = Checkpoint.Load(path);
        try
        {
            var target = device ?? CPU;
            return new CheckpointPredictor(checkpoint, checkpoint.CreateModel(target), target);
        }
        catch
        {
            checkpoint.Dispose();
            throw;
        }
    }

    public Predictions Predict(IBatchSource data) => Predictions.Predict(Model, data, device);

    public float[][] Probabilities(Tensor images)
    {
        using var scope = NewDisposeScope();
        using var _ = inference_mode();
        return ClassifierOutput.Probabilities(Model.call(images.to(device))).to(ScalarType.Float32).ToRows<float>(); // (B, K)
    }

    public void Dispose()
    {
        Model.Dispose();
        Checkpoint.Dispose();
    }
}
