namespace XRay.Features;

/// <summary>
/// One feature vector per image of a split: what a classic classifier trains on. Row i is the image
/// <c>Paths[i]</c> with label <c>Labels[i]</c> (an index into <see cref="ClassNames"/>).
/// </summary>
public sealed record FeatureSet(IReadOnlyList<string> ClassNames, string[] Paths, int[] Labels, float[][] Rows)
{
    public int Count => Rows.Length;

    /// <summary>Values per image (0 for an empty set).</summary>
    public int Dimension => Rows.Length == 0 ? 0 : Rows[0].Length;

    /// <summary>The cache file this set was read from or written to, if any.</summary>
    public string? FilePath { get; init; }

    /// <summary>True when the set came from the disk cache and no image went through the model.</summary>
    public bool LoadedFromDisk { get; init; }
}
