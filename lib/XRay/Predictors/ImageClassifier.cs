using XRay.Data;
using XRay.Imaging;
using XRay.Training;
using static TorchSharp.torch;

namespace XRay.Models;

/// <summary>
/// A trained checkpoint ready to classify single images: the model in eval mode on its device, with the class names
/// and preprocessing training used. `xray predict`, the web app (`xray serve`) and notebook 11 classify through it,
/// and it runs <see cref="Inference"/>, as <see cref="Metrics.Evaluation"/> does, so an image gets the same
/// probabilities everywhere. Not thread-safe: one call at a time (Grad-CAM puts a hook on the model); the web app
/// keeps a pool of these.
/// </summary>
public sealed class ImageClassifier : IDisposable
{
    /// <summary>Builds the checkpoint's model on <paramref name="device"/> (CPU by default); the checkpoint can be disposed afterwards.</summary>
    public ImageClassifier(Checkpoint checkpoint, Device? device = null)
    {
        Device = device ?? CPU;
        Model = checkpoint.CreateModel(Device);
        ClassNames = checkpoint.ClassNames.ToArray();
        Preprocessing = checkpoint.Preprocessing;
        Temperature = checkpoint.Temperature;
    }

    public static ImageClassifier Load(string checkpointPath, Device? device = null)
    {
        using var checkpoint = Checkpoint.Load(checkpointPath);
        return new ImageClassifier(checkpoint, device);
    }

    public ClassifierModel Model { get; }

    public IReadOnlyList<string> ClassNames { get; }

    public Preprocessing Preprocessing { get; }

    public Device Device { get; }

    /// <summary>The checkpoint's temperature (`xray calibrate`); the probabilities are calibrated by it, 1 if never calibrated.</summary>
    public double Temperature { get; }

    /// <summary>
    /// An encoded image (an upload) as a (1, C, H, W) model input, after the checks a dataset folder applies
    /// (<see cref="ImageFileCheck"/>: extension of <paramref name="name"/>, header, end marker, pixel limit). Anything
    /// unusable is an <see cref="ImageLoadException"/>; <see cref="ImageLoadException.OverPixelLimit"/> marks a bomb.
    /// </summary>
    public Tensor Input(byte[] encoded, string name)
    {
        using (var stream = new MemoryStream(encoded, writable: false))
            if (ImageFileCheck.Check(stream, name) is { } problem) throw new ImageLoadException(name, problem);
        using var image = ImageLoader.Load(encoded, name, Preprocessing, device: Device);   // (C, H, W); the view keeps its storage
        return image.unsqueeze(0);
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
        using var image = ImageLoader.Load(path, preprocessing, device: device);
        return image.unsqueeze(0);
    }

    public ImagePrediction Predict(Tensor input) => new(ClassNames, Inference.Probabilities(Model, input, Device, temperature: Temperature)[0]);

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
        return cv.imencode_png(Models.GradCam.Overlay(ImageLoader.ToImage(input, Preprocessing), map));
    }

    public void Dispose() => Model.Dispose();
}
