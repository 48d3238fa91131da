namespace XRay.Synthetic;

/// <summary>
/// What was written: the root, the classes, each split's count per class before any ratios (<see cref="PerClass"/>) and
/// the images of each class in each split (<see cref="Counts"/>, split → class → images).
/// </summary>
public sealed record SyntheticResult(string Root, IReadOnlyList<string> ClassNames, IReadOnlyDictionary<string, int> PerClass, int Images)
{
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Counts { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, int>>();
}
