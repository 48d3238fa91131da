namespace XRay.Synthetic;

/// <summary>What <see cref="SyntheticChestXray.Generate"/> writes. The defaults make a set that trains in minutes on a CPU.</summary>
public sealed record SyntheticOptions
{
    /// <summary>3: NORMAL, COVID19, PNEUMONIA (prashant268 layout); 2: NORMAL, PNEUMONIA (Mooney layout).</summary>
    public int Classes { get; init; } = 3;

    /// <summary>Training images per class.</summary>
    public int PerClass { get; init; } = 100;

    /// <summary>Test images per class; null is a quarter of <see cref="PerClass"/> (at least 1).</summary>
    public int? TestPerClass { get; init; }

    /// <summary>Validation images per class; 0 writes no val/ folder (the loader then splits train).</summary>
    public int ValPerClass { get; init; }

    /// <summary>Square side in pixels.</summary>
    public int Size { get; init; } = 256;

    public long Seed { get; init; }

    public int JpegQuality { get; init; } = 90;

    public IReadOnlyList<string> ClassNames => Classes switch
    {
        3 => new[] { "NORMAL", "COVID19", "PNEUMONIA" },
        2 => new[] { "NORMAL", "PNEUMONIA" },
        _ => throw new ArgumentException($"--classes must be 3 (NORMAL, COVID19, PNEUMONIA) or 2 (NORMAL, PNEUMONIA), got {Classes}."),
    };

    public void Validate()
    {
        _ = ClassNames;
        if (PerClass < 1) throw new ArgumentException($"--per-class must be at least 1, got {PerClass}.");
        if (TestPerClass is < 0) throw new ArgumentException($"The test count per class cannot be negative, got {TestPerClass}.");
        if (ValPerClass < 0) throw new ArgumentException($"The validation count per class cannot be negative, got {ValPerClass}.");
        if (Size is < 32 or > 2048) throw new ArgumentException($"--size must be between 32 and 2048 pixels, got {Size}.");
        if (JpegQuality is < 1 or > 100) throw new ArgumentException($"The JPEG quality must be 1..100, got {JpegQuality}.");
    }
}
