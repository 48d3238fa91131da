using XRay.Data;
using XRay.Metrics;
using static TorchSharp.torch;

namespace XRay.Predictors;

/// <summary>
/// Something that classifies images, as `xray evaluate` and `xray predict` use it: a CNN checkpoint
/// (<see cref="ImageClassifier"/>) or a classic classifier on CNN features (XRay.Classic's ClassicModel, in its own
/// assembly with ML.NET; XRay.Classic.ImagePredictors.Load opens either kind).
/// </summary>
public interface IImagePredictor : IDisposable
{
    /// <summary>Class names in label order.</summary>
    IReadOnlyList<string> ClassNames { get; }

    /// <summary>How images are prepared for it.</summary>
    Preprocessing Preprocessing { get; }

    /// <summary>The seed that held validation images out of train in training, so evaluation holds out the same ones.</summary>
    long SplitSeed { get; }

    /// <summary>The temperature its probabilities are scaled by (`xray calibrate`); 1 for anything uncalibrated.</summary>
    double Temperature => 1;

    /// <summary>Predictions for every image of one epoch of <paramref name="data"/>.</summary>
    Predictions Predict(IBatchSource data);

    /// <summary>Class probabilities, one row per image of <paramref name="images"/> (B, C, H, W).</summary>
    float[][] Probabilities(Tensor images);
}
