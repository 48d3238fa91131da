using System.IO.Compression;

namespace XRay.Kaggle;

/// <summary>
/// Extracts a zip without letting an entry escape the target folder (zip-slip): an entry such as <c>../evil</c> or
/// <c>/etc/passwd</c> is refused and reported, and every other entry is still extracted. (ZipFile.ExtractToDirectory
/// would stop at the first bad entry; a plain Path.Combine loop would write outside.)
/// </summary>
public static class SafeZip
{
    public static (int Extracted, IReadOnlyList<string> Refused) Extract(string zipPath, string targetDirectory)
    {
        var root = Path.GetFullPath(targetDirectory);
        var rootWithSeparator = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
        Directory.CreateDirectory(root);
        var refused = new List<string>();
        var extracted = 0;
        ZipArchive archive;
        try
        {
            archive = ZipFile.OpenRead(zipPath);
        }
        catch (InvalidDataException e)
        {
            throw new DownloadException($"{zipPath} is not a valid zip archive ({e.Message}). Delete it and download again.", e);
        }
        using (archive)
        {
            foreach (var entry in archive.Entries)
            {
                var name = entry.FullName.Replace('\\', '/');
                var destination = Path.GetFullPath(Path.Combine(root, name));
                if (Path.IsPathRooted(name) || !destination.StartsWith(rootWithSeparator, StringComparison.Ordinal))
                {
                    refused.Add(entry.FullName);
                    continue;
                }
                if (name.EndsWith('/'))
                {
                    Directory.CreateDirectory(destination);
                    continue;
                }
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                entry.ExtractToFile(destination, overwrite: true);
                extracted++;
            }
        }
        return (extracted, refused);
    }
}
