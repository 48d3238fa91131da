using XRay.Predictors;
using static TorchSharp.torch;

namespace XRay.Classic;

/// <summary>
/// Opens either kind of model `xray evaluate` and `xray predict` accept. It lives here, beside ML.NET, because only an
/// assembly that knows <see cref="ClassicModel"/> can choose it; the core library knows only <see cref="ImageClassifier"/>.
/// </summary>
public static class ImagePredictors
{
    /// <summary>
    /// Opens what `xray train` or `xray train-classifier` wrote: a checkpoint (.pt), or a classifier's folder, its
    /// model.zip or its classifier.json.
    /// </summary>
    public static IImagePredictor Load(string path, Device? device = null) =>
        ClassicModel.IsClassicModel(path) ? ClassicModel.Load(path, device) : ImageClassifier.Load(path, device);
}
