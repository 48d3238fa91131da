using XRay.Data;
using XRay.Imaging;
using XRay.Metrics;
using XRay.Models;
using XRay.Training;
using static TorchSharp.torch;

namespace XRay.Predictors;

/// <summary>
/// A trained checkpoint ready to classify: the model in eval mode on its device, with the class names, preprocessing,
/// split seed and temperature training stored. The one CNN predictor: `xray predict`, `xray evaluate`, `xray calibrate`,
/// the web app (`xray serve`, a pool of these), Grad-CAM and notebook 11 all classify through it, and it runs
/// <see cref="Inference"/>, as <see cref="Evaluation"/> does, so an image gets the same probabilities everywhere.
/// It holds the weights once: the checkpoint's tensors are released as soon as the model is built. Not thread-safe:
/// one call at a time (Grad-CAM puts a hook on the model).
/// </summary>
public sealed class ImageClassifier : IImagePredictor
{
    /// <summary>Builds the checkpoint's model on <paramref name="device"/> (CPU by default); the checkpoint can be disposed afterwards.</summary>
    public ImageClassifier(Checkpoint checkpoint, Device? device = null)
    {
        Device = device ?? CPU;
        Model = checkpoint.CreateModel(Device);
        ClassNames = checkpoint.ClassNames.ToArray();
        Preprocessing = checkpoint.Preprocessing;
        Temperature = checkpoint.Temperature;
        SplitSeed = checkpoint.Options?.Seed ?? 0;
    }

    /// <summary>Reads a checkpoint, builds its model and lets go of the file's tensors.</summary>
    public static ImageClassifier Load(string checkpointPath, Device? device = null)
    {
        using var checkpoint = Checkpoint.Load(checkpointPath);
        return new ImageClassifier(checkpoint, device);
    }

    public ClassifierModel Model { get; }

    public IReadOnlyList<string> ClassNames { get; }

    public Preprocessing Preprocessing { get; }

    public Device Device { get; }

    /// <summary>The seed that held validation images out of train in training.</summary>
    public long SplitSeed { get; }

    /// <summary>The checkpoint's temperature (`xray calibrate`); the probabilities are calibrated by it, 1 if never calibrated.</summary>
    public double Temperature { get; }

    /// <summary>Predictions for every image of one epoch of <paramref name="data"/>, calibrated by <see cref="Temperature"/>.</summary>
    public Predictions Predict(IBatchSource data) => Predictions.Predict(Model, data, Device, temperature: Temperature);

    /// <summary>The probabilities as trained (T = 1), which `xray calibrate` fits a temperature on.</summary>
    public Predictions PredictUncalibrated(IBatchSource data) => Predictions.Predict(Model, data, Device);

    /// <summary>Class probabilities of a (B, C, H, W) batch, calibrated by <see cref="Temperature"/>.</summary>
    public float[][] Probabilities(Tensor images) => Inference.Probabilities(Model, images, Device, temperature: Temperature);

    /// <summary>
    /// An encoded image (an upload) as a (1, C, H, W) model input, after the checks a dataset folder applies
    /// (<see cref="ImageFileCheck"/>: extension of <paramref name="name"/>, header, end marker, pixel limit). Anything
    /// unusable is an <see cref="ImageLoadException"/>; <see cref="ImageLoadException.OverPixelLimit"/> marks a bomb.
    /// </summary>
    public Tensor Input(byte[] encoded, string name)
    {
        using (var stream = new MemoryStream(encoded, writable: false))
            if (ImageFileCheck.Check(stream, name) is { } problem) throw new ImageLoadException(name, problem);
        using var scope = NewDisposeScope(); // the (C, H, W) image goes with it; only the (1, C, H, W) view leaves
        return ImageLoader.Load(encoded, name, Preprocessing, device: Device).unsqueeze(0).MoveToOuterDisposeScope();
    }

    /// <summary>An image file as a (1, C, H, W) model input, checked as <see cref="Input(byte[], string)"/>.</summary>
    public Tensor Input(string path) => InputFrom(path, Preprocessing, Device);

    /// <summary>
    /// An image file as a (1, C, H, W) input for any model prepared with <paramref name="preprocessing"/> (a classic
    /// classifier's too), after the checks a dataset folder applies, so a truncated JPEG is refused as training skips it.
    /// </summary>
    public static Tensor InputFrom(string path, Preprocessing preprocessing, Device device)
    {
        if (File.Exists(path) && ImageFileCheck.Problem(path) is { } problem) throw new ImageLoadException(path, problem);
        using var scope = NewDisposeScope();
        return ImageLoader.Load(path, preprocessing, device: device).unsqueeze(0).MoveToOuterDisposeScope();
    }

    public ImagePrediction Predict(Tensor input) => new(ClassNames, Probabilities(input)[0]);

    public ImagePrediction Predict(string path)
    {
        using var input = Input(path);
        return Predict(input);
    }

    public ImagePrediction Predict(byte[] encoded, string name)
    {
        using var input = Input(encoded, name);
        return Predict(input);
    }

    /// <summary>The Grad-CAM heatmap of <paramref name="classIndex"/> (by default the predicted class) for a (1, C, H, W) input.</summary>
    public GradCamMap GradCam(Tensor input, int? classIndex = null) => Models.GradCam.Compute(Model, input, classIndex);

    /// <summary>The heatmap blended over the image the model saw (its input size), as a PNG.</summary>
    public byte[] GradCamPng(Tensor input, int? classIndex = null)
    {
        var map = GradCam(input, classIndex);
        return Cv.ImEncodePng(Models.GradCam.Overlay(ImageLoader.ToImage(input, Preprocessing), map));
    }

    public void Dispose() => Model.Dispose();
}
