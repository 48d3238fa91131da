using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace XRay.Kaggle;

/// <summary>
/// Downloads a Kaggle dataset as `kaggle datasets download -d OWNER/SLUG --unzip` does:
/// GET {endpoint}/api/v1/datasets/download/OWNER/SLUG with HTTP Basic auth, which redirects to signed storage.
/// </summary>
public sealed partial class KaggleClient : IDisposable
{
    public static readonly Uri DefaultEndpoint = new("https://www.kaggle.com");

    private readonly KaggleCredentials credentials;
    private readonly Uri endpoint;
    private readonly FileDownloader downloader;
    private readonly Action<string> log;

    public KaggleClient(KaggleCredentials credentials, Uri? endpoint = null, DownloadOptions? options = null, HttpMessageHandler? handler = null)
    {
        this.credentials = credentials;
        this.endpoint = endpoint ?? DefaultEndpoint;
        log = options?.Log ?? FileDownloader.DefaultLog(typeof(KaggleClient));
        downloader = new FileDownloader(options, handler);
    }

    /// <summary>Downloads OWNER/SLUG into <paramref name="outDirectory"/> as SLUG.zip and, by default, unzips it there.</summary>
    public Task<DownloadResult> DownloadDatasetAsync(string dataset, string outDirectory, bool unzip = true,
        IProgress<DownloadProgress>? progress = null, CancellationToken cancel = default)
    {
        var (owner, slug) = ParseDataset(dataset);
        var url = new Uri(endpoint, $"api/v1/datasets/download/{owner}/{slug}");
        var basic = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Key}")));
        return DatasetDownload.ToFolderAsync(downloader, url, outDirectory, slug + ".zip", unzip, basic, progress,
            status => Describe(status, owner, slug), log, cancel);
    }

    public static (string Owner, string Slug) ParseDataset(string dataset)
    {
        var match = DatasetName().Match(dataset.Trim());
        if (!match.Success)
            throw new ArgumentException($"'{dataset}' is not a Kaggle dataset name: use OWNER/SLUG, e.g. paultimothymooney/chest-xray-pneumonia.");
        return (match.Groups[1].Value, match.Groups[2].Value);
    }

    private string Describe(HttpStatusCode status, string owner, string slug) => status switch
    {
        HttpStatusCode.Unauthorized =>
            $"Kaggle rejected the API key of '{credentials.Username}' from {credentials.Source} (HTTP 401). The key may be wrong or expired: {KaggleCredentials.HowToCreate}",
        HttpStatusCode.Forbidden =>
            $"Kaggle refused access to {owner}/{slug} (HTTP 403). Open https://www.kaggle.com/datasets/{owner}/{slug} signed in as " +
            $"'{credentials.Username}' and accept the dataset's rules, or check the key from {credentials.Source}.",
        HttpStatusCode.NotFound =>
            $"Kaggle has no dataset {owner}/{slug} (HTTP 404). Check the name: it is the OWNER/SLUG part of https://www.kaggle.com/datasets/OWNER/SLUG.",
        _ => $"Kaggle answered HTTP {(int)status} for {owner}/{slug}.",
    };

    [GeneratedRegex(@"^([A-Za-z0-9][A-Za-z0-9_.-]*)/([A-Za-z0-9][A-Za-z0-9_.-]*)$")]
    private static partial Regex DatasetName();

    public void Dispose() => downloader.Dispose();
}
