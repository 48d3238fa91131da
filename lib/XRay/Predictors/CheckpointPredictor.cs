using XRay.Data;
using XRay.Metrics;
using XRay.Models;
using XRay.Runtime;
using XRay.Training;
using static TorchSharp.torch;

namespace XRay.Predictors;

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

    /// <summary>The checkpoint's temperature: every probability below is calibrated by it (1: as trained).</summary>
    public double Temperature => Checkpoint.Temperature;

    public Predictions Predict(IBatchSource data) => Predictions.Predict(Model, data, device, temperature: Temperature);

    /// <summary>The logits as trained (T = 1), which `xray calibrate` fits a temperature on.</summary>
    public Predictions PredictUncalibrated(IBatchSource data) => Predictions.Predict(Model, data, device);

    // The one inference path (channels-last as evaluation uses it), so `xray predict` equals `xray evaluate` and the web app.
    public float[][] Probabilities(Tensor images) => XRay.Models.Inference.Probabilities(Model, images, device, temperature: Temperature);

    public void Dispose()
    {
        Model.Dispose();
        Checkpoint.Dispose();
    }
}
