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

    /// <summary>
    /// Class proportions in the order of <see cref="ClassNames"/> (e.g. 10, 1, 3: COVID19 rare, as in the Kaggle COVID-19
    /// radiography set), applied to every split: the largest class gets the split's count per class and the others their
    /// share of it, rounded, at least 1. Null: balanced.
    /// </summary>
    public IReadOnlyList<double>? Ratios { get; init; }

    /// <summary>Images of class <paramref name="c"/> in a split with <paramref name="perClass"/> per class before the ratios.</summary>
    public int CountFor(int c, int perClass) =>
        Ratios is null ? perClass : Math.Max(1, (int)Math.Round(perClass * Ratios[c] / Ratios.Max(), MidpointRounding.AwayFromZero));

    /// <summary>
    /// `--ratios A:B:C` for <paramref name="classes"/> classes: one positive number per class, colon-separated, in the
    /// order of <see cref="ClassNames"/>. Anything else is an <see cref="ArgumentException"/> that says what to write.
    /// </summary>
    public static double[] ParseRatios(string text, int classes)
    {
        var names = new SyntheticOptions { Classes = classes }.ClassNames;
        var example = classes == 3 ? "10:1:3" : "3:1";
        var parts = text.Split(':');
        if (parts.Length != names.Count)
            throw new ArgumentException($"--ratios '{text}' has {parts.Length} value(s) but there are {names.Count} classes ({string.Join(":", names)}); " +
                                        $"give one per class in that order, e.g. {example}.");
        var ratios = new double[parts.Length];
        var problems = new List<string>(); // every bad value at once, so one fix is enough
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out ratios[i]) || !double.IsFinite(ratios[i]))
                problems.Add($"'{parts[i]}' ({names[i]}) is not a number");
            else if (ratios[i] <= 0)
                problems.Add($"{names[i]} has {parts[i]}, but every class needs a positive share (a class with no images can be neither learned nor tested)");
        }
        if (problems.Count > 0)
            throw new ArgumentException($"--ratios '{text}': {string.Join("; ", problems)}. Give one positive number per class ({string.Join(":", names)}), e.g. {example}.");
        return ratios;
    }

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
        if (Ratios is not null)
        {
            if (Ratios.Count != ClassNames.Count)
                throw new ArgumentException($"{Ratios.Count} ratios for {ClassNames.Count} classes ({string.Join(":", ClassNames)}); give one per class.");
            if (Ratios.Any(r => !(r > 0) || !double.IsFinite(r)))
                throw new ArgumentException($"Every ratio must be a positive number, got {string.Join(":", Ratios)}.");
        }
    }
}
