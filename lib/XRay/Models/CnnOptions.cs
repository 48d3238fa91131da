namespace XRay.Models;

/// <summary>
/// The configurable CNN's architecture, a record so a notebook's parameters cell can vary it
/// (<c>new CnnOptions { Filters = new[] { 32, 64 }, Dropout = 0.05, L2 = 5e-7 }</c>), as seed 003's comparison does.
/// </summary>
public sealed record CnnOptions
{
    /// <summary>Output channels of each convolutional block; one block per entry.</summary>
    public int[] Filters { get; init; } = { 32, 64, 128 };

    /// <summary>Square kernel size of every convolution.</summary>
    public int KernelSize { get; init; } = 3;

    /// <summary>Convolutions per block before its 2x2 max pooling.</summary>
    public int ConvsPerBlock { get; init; } = 1;

    /// <summary>Keras' padding='same' (true) or 'valid' (false).</summary>
    public bool SamePadding { get; init; } = true;

    /// <summary>BatchNorm2d after each convolution, before its ReLU.</summary>
    public bool BatchNorm { get; init; }

    /// <summary>Dropout after each block (seed 003's "Dropout 5%" row is 0.05).</summary>
    public double Dropout { get; init; }

    /// <summary>Units of the Dense + ReLU layers after Flatten.</summary>
    public int[] Dense { get; init; } = { 128 };

    /// <summary>Dropout after each dense layer.</summary>
    public double DenseDropout { get; init; }

    /// <summary>L1 kernel regularization factor on every conv and dense weight (seed 003 tries 5e-7).</summary>
    public double L1 { get; init; }

    /// <summary>L2 kernel regularization factor on every conv and dense weight (seed 003 tries 5e-7).</summary>
    public double L2 { get; init; }
}
