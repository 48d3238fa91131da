using static TorchSharp.torch;

namespace XRay.Models;

/// <summary>A model that adds its own penalty to the training loss (Keras' layer kernel_regularizer).</summary>
public interface IRegularizedModel
{
    /// <summary>The penalty for the current weights as a scalar tensor, or null when there is none.</summary>
    Tensor? RegularizationLoss();
}
