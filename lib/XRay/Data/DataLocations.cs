namespace XRay.Data;

/// <summary>Which dataset a notebook uses: the one asked for, else the blogs' Kaggle data if downloaded, else the synthetic set.</summary>
public sealed record DataLocation(string Path, string Name, bool IsSynthetic)
{
    public override string ToString() => $"{Name}: {Path}{(IsSynthetic ? " (synthetic, made by data-scripts/synthetic.sh)" : "")}";
}

public static class DataLocations
{
    /// <summary>Folders under data/ that the data scripts create, in order of preference.</summary>
    public static readonly IReadOnlyList<(string Folder, bool Synthetic)> Known = new[]
    {
        ("chest-xray-covid19-pneumonia", false),  // seed 000's three-class Kaggle set
        ("chest-xray-pneumonia", false),          // seeds 002/003's Mooney set
        ("synthetic", true),
    };

    /// <param name="requested">A folder (relative to <paramref name="from"/>), or empty to pick the first known one found.</param>
    /// <param name="from">Where to start looking for data/ (a notebook's folder): it and each folder above it.</param>
    public static DataLocation Resolve(string requested, string from)
    {
        if (!string.IsNullOrWhiteSpace(requested))
        {
            var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(from, requested));
            if (!Directory.Exists(path))
                throw new DirectoryNotFoundException($"The data folder '{path}' does not exist. Make the synthetic set with " +
                                                     "data-scripts/synthetic.sh or download one with data-scripts/download-*.sh.");
            return new DataLocation(path, System.IO.Path.GetFileName(path), IsSyntheticSet(path));
        }
        for (var dir = new DirectoryInfo(System.IO.Path.GetFullPath(from)); dir is not null; dir = dir.Parent)
            foreach (var (folder, synthetic) in Known)
            {
                var path = System.IO.Path.Combine(dir.FullName, "data", folder);
                if (Directory.Exists(path)) return new DataLocation(path, folder, synthetic);
            }
        throw new DirectoryNotFoundException(
            $"No dataset under a data/ folder above '{from}'. Run data-scripts/synthetic.sh (no account needed) or a " +
            "data-scripts/download-*.sh script with a Kaggle token.");
    }

    // The generator writes a README.txt that says the set is synthetic.
    private static bool IsSyntheticSet(string path) =>
        File.Exists(System.IO.Path.Combine(path, "README.txt")) &&
        File.ReadAllText(System.IO.Path.Combine(path, "README.txt")).Contains("synthetic", StringComparison.OrdinalIgnoreCase);
}
