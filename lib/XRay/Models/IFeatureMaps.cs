using static TorchSharp.torch;

namespace XRay.Models;

/// <summary>
/// A model whose convolutional part can run on its own: the feature maps after its last pooling, before the dense
/// head. Part 2 of the blog series trains classic classifiers on them (see <c>XRay.Features.FeatureExtractor</c>).
/// </summary>
public interface IFeatureMaps
{
    /// <summary>(B, F, h, w) for images (B, C, H, W) of the model's input shape; the input is checked as forward checks it.</summary>
    Tensor FeatureMaps(Tensor input);
}
