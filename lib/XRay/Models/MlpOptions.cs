namespace XRay.Models;

/// <summary>
/// The MLP baseline's hidden layers. Seed 003 reports the MLP's scores (0.9470 test accuracy at 150 px) but not its
/// layer sizes; these defaults are a common baseline and can be varied from a notebook's parameters cell.
/// </summary>
public sealed record MlpOptions
{
    /// <summary>Units of each hidden Dense + ReLU layer.</summary>
    public int[] Hidden { get; init; } = { 128, 64 };

    /// <summary>Dropout after each hidden layer (0 = none, as in seed 003's MLP row).</summary>
    public double Dropout { get; init; }
}
