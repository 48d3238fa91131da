namespace XRay.Data;

/// <summary>
/// Where the split folders of a dataset are. Finds them at the root or one or two levels down, which covers
/// both Kaggle layouts (<c>Data/train|test/CLASS</c>, <c>chest_xray/train|val|test/CLASS</c>, even the Mooney zip's
/// nested <c>chest_xray/chest_xray</c>), seed 001's <c>Dataset/train|val|test</c> and our synthetic set.
/// </summary>
public sealed record DatasetLayout(string Root, IReadOnlyDictionary<string, string> Splits)
{
    public static readonly IReadOnlyList<string> SplitNames = new[] { "train", "val", "test" };

    public static DatasetLayout Find(string root)
    {
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException($"Dataset folder '{root}' does not exist. Download one with `xray data download` " +
                                                 "or make the synthetic set with `xray data synthetic --out DIR`.");
        foreach (var candidate in Candidates(Path.GetFullPath(root), depth: 0))
        {
            var splits = SplitNames
                .Select(s => (name: s, path: Path.Combine(candidate, s)))
                .Where(s => Directory.Exists(s.path))
                .ToDictionary(s => s.name, s => s.path);
            if (splits.ContainsKey("train") || splits.ContainsKey("test")) return new DatasetLayout(candidate, splits);
        }
        throw new DirectoryNotFoundException(
            $"No train/ or test/ folder found in '{root}' or the folders below it. Expected a layout such as " +
            "Data/train/NORMAL/*.jpg or chest_xray/train/PNEUMONIA/*.jpeg.");
    }

    private static IEnumerable<string> Candidates(string dir, int depth)
    {
        yield return dir;
        if (depth == 2) yield break;
        IEnumerable<string> children;
        try
        {
            children = Directory.GetDirectories(dir).Where(d => !IsIgnored(Path.GetFileName(d))).Order(StringComparer.Ordinal).ToArray();
        }
        catch (UnauthorizedAccessException)
        {
            yield break;
        }
        foreach (var child in children)
            foreach (var c in Candidates(child, depth + 1))
                yield return c;
    }

    /// <summary>macOS resource forks and hidden folders that zips carry along.</summary>
    internal static bool IsIgnored(string name) => name.StartsWith('.') || name == "__MACOSX";
}
