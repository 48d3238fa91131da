using XRay.Kaggle;

namespace XRay.Weights;

/// <summary>
/// Puts a weight set's file in its cache, as torch hub does: a file already there is used as is; otherwise it is
/// downloaded through <see cref="FileDownloader"/> (progress, retry, resume) into NAME.download, its SHA-256 checked
/// against the prefix in its name, and only then renamed to NAME. A tampered or truncated file never takes the final
/// name; bytes of an interrupted transfer stay in NAME.download.part and the next call resumes them.
/// </summary>
public sealed class WeightDownloader : IDisposable
{
    private readonly FileDownloader downloader;

    public WeightDownloader(WeightCache? cache = null, DownloadOptions? options = null, HttpMessageHandler? handler = null)
    {
        Cache = cache ?? WeightCache.FromEnvironment();
        downloader = new FileDownloader((options ?? new DownloadOptions()) with { RetryUnreachable = false }, handler);
    }

    public WeightCache Cache { get; }

    /// <summary>The cached file of <paramref name="set"/>, downloading it first when it is missing.</summary>
    public async Task<string> EnsureAsync(WeightSet set, IProgress<DownloadProgress>? progress = null, CancellationToken cancel = default)
    {
        var path = Cache.PathOf(set);
        if (File.Exists(path)) return path;
        if (set.Source == WeightSource.NuGet)
            throw new FileNotFoundException(
                $"The weights '{set.Name}' come with the NuGet package {set.BaseUrl.Replace('/', ' ')}, but '{path}' is missing. " +
                "Run ./build.sh build (or dotnet restore), which downloads the package into the NuGet folder " +
                "($NUGET_PACKAGES or ~/.nuget/packages).", path);

        var url = Cache.UrlOf(set);
        var temp = path + ".download";
        try
        {
            await downloader.DownloadAsync(url, temp, progress: progress, cancel: cancel).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DownloadException or HttpRequestException)
        {
            throw new DownloadException(Unreachable(set, url, path, e.Message), e);
        }

        if (set.HashPrefix is { } expected)
        {
            var actual = HashPrefix.Sha256(temp);
            if (!actual.StartsWith(expected, StringComparison.Ordinal))
            {
                File.Delete(temp);
                throw new DownloadException(
                    $"The file downloaded from {url} is not '{set.FileName}': its SHA-256 starts with {actual[..expected.Length]}, " +
                    $"the name says {expected}. It was deleted; nothing was put in {Path.GetDirectoryName(path)}. " +
                    $"Check the source{(Cache.Mirror is null ? "" : $" ({WeightCache.MirrorVariable}={Cache.Mirror})")} and try again.");
            }
        }
        File.Move(temp, path, overwrite: true);
        return path;
    }

    /// <summary>Offline or refused: what failed, where the file belongs, and the lines that put it there by other means.</summary>
    private string Unreachable(WeightSet set, Uri url, string path, string reason)
    {
        var curl = $"curl -L --create-dirs -o {path} {set.Url}";
        var fill = set.Source == WeightSource.Torchvision
            ? $"TORCH_HOME={Cache.TorchHome} python3 -c \"import torch; torch.hub.load_state_dict_from_url('{set.Url}')\" or {curl}"
            : curl;
        return $"Cannot download the weights '{set.Name}' from {url}: {reason.TrimEnd('.')}. Nothing was written to {path}. " +
               $"Fill the cache where there is internet with: {fill} (then copy the file to that path), or point " +
               $"{WeightCache.MirrorVariable} at a server that has {Path.GetFileName(set.FileName)}.";
    }

    public void Dispose() => downloader.Dispose();
}
