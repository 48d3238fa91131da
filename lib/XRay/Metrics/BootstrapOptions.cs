namespace XRay.Metrics;

/// <summary>How <see cref="Bootstrap"/> resamples the test images.</summary>
public sealed record BootstrapOptions
{
    /// <summary>Resamples of the images, each as many as the set, drawn with replacement. 1000 is the usual minimum for 95 % percentile intervals.</summary>
    public int Resamples { get; init; } = 1000;

    /// <summary>Seeds System.Random: the same seed gives the same resamples, so the same interval, on every machine.</summary>
    public int Seed { get; init; }

    /// <summary>The interval's coverage: 0.95 cuts 2.5 % off each end.</summary>
    public double Level { get; init; } = 0.95;

    public void Validate()
    {
        if (Resamples < 1) throw new ArgumentException($"--bootstrap must be at least 1 resample (1000 is usual), got {Resamples}.");
        if (!(Level is > 0 and < 1)) throw new ArgumentException($"The confidence level must be between 0 and 1 (e.g. 0.95), got {Level}.");
    }
}
