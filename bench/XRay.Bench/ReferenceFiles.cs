namespace XRay.Bench;

/// <summary>The image files under a folder, in the order the Python side lists them (sorted full paths).</summary>
internal static class ReferenceFiles
{
    private static readonly string[] Extensions = { ".jpg", ".jpeg", ".png" };

    public static string[] Images(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(p => Extensions.Contains(Path.GetExtension(p).ToLowerInvariant()))
            .Order(StringComparer.Ordinal)
            .ToArray();
}
