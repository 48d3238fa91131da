namespace XRay.Weights;

/// <summary>
/// The input a weight set was trained on, as its publisher documents it: torchvision's ImageClassification transforms
/// (resize the short side to <paramref name="ResizeSize"/>, center-crop <paramref name="CropSize"/>, scale to [0, 1],
/// then (x - mean) / std per RGB channel), or Keras' x / 127.5 - 1 (mean 0.5, std 0.5 on [0, 1]).
/// </summary>
public sealed record WeightTransforms(int ResizeSize, int CropSize, IReadOnlyList<double> Mean, IReadOnlyList<double> Std)
{
    /// <summary>torchvision's ImageNet normalization.</summary>
    public static IReadOnlyList<double> ImageNetMean { get; } = new[] { 0.485, 0.456, 0.406 };

    public static IReadOnlyList<double> ImageNetStd { get; } = new[] { 0.229, 0.224, 0.225 };

    public static WeightTransforms Torchvision(int resize, int crop = 224) => new(resize, crop, ImageNetMean, ImageNetStd);

    /// <summary>Keras' preprocess_input for MobileNet ("tf" mode): x / 127.5 - 1.</summary>
    public static WeightTransforms KerasTf { get; } = new(224, 224, new[] { 0.5, 0.5, 0.5 }, new[] { 0.5, 0.5, 0.5 });

    /// <summary>RGB in [0, 1] as it is: the network does its own normalization (resnet18-mlnet subtracts its mean image).</summary>
    public static WeightTransforms None { get; } = new(224, 224, new[] { 0.0, 0.0, 0.0 }, new[] { 1.0, 1.0, 1.0 });

    public override string ToString() =>
        $"resize {ResizeSize}, crop {CropSize}, mean {string.Join("/", Mean)}, std {string.Join("/", Std)}";
}
