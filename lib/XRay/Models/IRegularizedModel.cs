using static TorchSharp.torch;

namespace XRay.Models;

/// <summary>
/// A model whose kernels carry Keras' kernel_regularizer factors (recorded in its spec). Fit adds them to
/// TrainingOptions' L1 and L2 and computes one penalty (<see cref="Regularization.Penalty"/>) over the kernels.
/// </summary>
public interface IRegularizedModel
{
    /// <summary>The L1 and L2 factors on every kernel of this model (0 for none).</summary>
    (double L1, double L2) KernelRegularization { get; }

    /// <summary>The penalty of these factors alone for the current weights as a scalar tensor, or null when there is none.</summary>
    Tensor? RegularizationLoss();
}
