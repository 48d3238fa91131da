namespace XRay.Models;

/// <summary>
/// A model that reports Keras' parameter counts: Keras counts each batch norm's moving mean and variance as
/// non-trainable parameters (PyTorch keeps them as buffers), so <see cref="ModelSummary"/> adds them for these models
/// (seed 001's MobileNet: 3,228,864 = 3,206,976 trainable + 21,888 non-trainable).
/// </summary>
public interface IKerasParameterCounts
{
}
