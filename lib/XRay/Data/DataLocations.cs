using XRay.Synthetic;

namespace XRay.Data;

/// <summary>Which dataset a notebook uses: the one asked for, else the blogs' Kaggle data if downloaded, else the synthetic set.</summary>
public sealed record DataLocation(string Path, string Name, bool IsSynthetic)
{
    /// <summary>True when no data existed and the synthetic set was drawn just now.</summary>
    public bool DrawnNow { get; init; }

    public override string ToString() =>
        $"{Name}: {Path}" + (DrawnNow ? " (no dataset was found, so the synthetic set was drawn just now; see data-scripts/ for the Kaggle data)"
            : IsSynthetic ? " (synthetic, made by data-scripts/synthetic.sh)" : "");
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

    /// <summary>
    /// The synthetic set a notebook draws when it finds no data, as `./build.sh tutorial` draws it (a few seconds):
    /// 150 training images per class at 128 px, seed 0.
    /// </summary>
    public static SyntheticOptions DefaultSynthetic { get; } = new() { PerClass = 150, Size = 128, Seed = 0 };

    /// <param name="requested">A folder (relative to <paramref name="from"/>), or empty to pick the first known one found.</param>
    /// <param name="from">Where to start looking for data/ (a notebook's folder): it and each folder above it.</param>
    /// <param name="drawIfMissing">
    /// With nothing requested and no data found: draw this synthetic set into data/synthetic next to the repository's
    /// notebooks/ folder (or under <paramref name="from"/>), so every notebook runs on a fresh clone. Null throws instead.
    /// </param>
    public static DataLocation Resolve(string requested, string from, SyntheticOptions? drawIfMissing = null)
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
        if (drawIfMissing is null)
            throw new DirectoryNotFoundException(
                $"No dataset under a data/ folder above '{from}'. Run data-scripts/synthetic.sh (no account needed) or a " +
                "data-scripts/download-*.sh script with a Kaggle token.");
        var target = System.IO.Path.Combine(RepositoryRoot(from) ?? from, "data", "synthetic");
        SyntheticChestXray.Generate(target, drawIfMissing);
        return new DataLocation(target, "synthetic", true) { DrawnNow = true };
    }

    // The folder holding notebooks/ (a notebook runs in it), so data/ lands where data-scripts/ would put it.
    private static string? RepositoryRoot(string from)
    {
        for (var dir = new DirectoryInfo(System.IO.Path.GetFullPath(from)); dir is not null; dir = dir.Parent)
            if (Directory.Exists(System.IO.Path.Combine(dir.FullName, "notebooks")) && Directory.Exists(System.IO.Path.Combine(dir.FullName, "data-scripts")))
                return dir.FullName;
        return null;
    }

    // The generator writes a README.txt that says the set is synthetic.
    private static bool IsSyntheticSet(string path) =>
        File.Exists(System.IO.Path.Combine(path, "README.txt")) &&
        File.ReadAllText(System.IO.Path.Combine(path, "README.txt")).Contains("synthetic", StringComparison.OrdinalIgnoreCase);
}
