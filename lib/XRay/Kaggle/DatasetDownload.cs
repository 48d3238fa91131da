using System.Net;
using System.Net.Http.Headers;

namespace XRay.Kaggle;

/// <summary>
/// Download into a folder and unzip there: the path shared by Kaggle datasets and plain URLs. After a successful
/// extraction the zip is deleted (as the Kaggle CLI's --unzip does) and a hidden marker remembers the download, so
/// running the command again skips it instead of fetching gigabytes twice.
/// </summary>
public static class DatasetDownload
{
    public static async Task<DownloadResult> ToFolderAsync(FileDownloader downloader, Uri url, string outDirectory, string fileName,
        bool unzip = true, AuthenticationHeaderValue? authorization = null, IProgress<DownloadProgress>? progress = null,
        Func<HttpStatusCode, string?>? describe = null, Action<string>? log = null, CancellationToken cancel = default)
    {
        Directory.CreateDirectory(outDirectory);
        var file = Path.Combine(outDirectory, fileName);
        var marker = Path.Combine(outDirectory, $".{fileName}.extracted");
        if (unzip && File.Exists(marker))
        {
            log?.Invoke($"{fileName} was already downloaded and extracted into {outDirectory}; delete {marker} to download it again");
            return new DownloadResult(outDirectory, true, 0, 0, Array.Empty<string>());
        }
        var result = await downloader.DownloadAsync(url, file, authorization, progress, describe, cancel).ConfigureAwait(false);
        if (!unzip || !IsZip(file)) return result;
        var (extracted, refused) = SafeZip.Extract(file, outDirectory);
        foreach (var entry in refused)
            log?.Invoke($"refused zip entry '{entry}': it would be written outside {outDirectory} (zip-slip); everything else was extracted");
        File.WriteAllText(marker, $"{url}\n{result.Bytes}\n");
        File.Delete(file);
        return result with { Path = outDirectory, ExtractedEntries = extracted, RefusedEntries = refused };
    }

    /// <summary>The file name a URL suggests (Dropbox's ?dl=1 and the like dropped), "download.zip" when it has none.</summary>
    public static string FileNameOf(Uri url)
    {
        var name = Uri.UnescapeDataString(url.Segments.LastOrDefault()?.Trim('/') ?? "");
        name = string.Concat(name.Split(Path.GetInvalidFileNameChars()));
        return name.Length == 0 || name is "." or ".." ? "download.zip" : name;
    }

    private static bool IsZip(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> head = stackalloc byte[4];
        return stream.Read(head) == 4 && head.SequenceEqual("PK\x03\x04"u8);
    }
}
