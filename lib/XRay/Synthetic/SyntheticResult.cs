namespace XRay.Synthetic;

/// <summary>What was written: the root, the classes and how many images per class each split holds.</summary>
public sealed record SyntheticResult(string Root, IReadOnlyList<string> ClassNames, IReadOnlyDictionary<string, int> PerClass, int Images);
