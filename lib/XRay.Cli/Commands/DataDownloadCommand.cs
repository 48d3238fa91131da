using System.CommandLine;
using XRay.Kaggle;

namespace XRay.Cli.Commands;

/// <summary>`xray data download --dataset OWNER/SLUG --out DIR [--endpoint URL]` or `--url URL --out DIR`.</summary>
internal static class DataDownloadCommand
{
    public static Command Create()
    {
        var dataset = new Option<string?>("--dataset") { Description = "Kaggle dataset OWNER/SLUG, e.g. paultimothymooney/chest-xray-pneumonia" };
        var url = new Option<string?>("--url") { Description = "Any http(s) URL of a file or zip (seed 001's Dropbox zip)" };
        var output = new Option<string>("--out") { Description = "Folder to download and unzip into", Required = true };
        var endpoint = new Option<string?>("--endpoint") { Description = "Kaggle API base URL, for mirrors and tests (default https://www.kaggle.com)" };
        var keepZip = new Option<bool>("--no-unzip") { Description = "Keep the zip as downloaded instead of extracting it" };
        var command = new Command("download", "Download a Kaggle dataset or a URL, resuming after interruptions, and unzip it safely.")
        {
            dataset, url, output, endpoint, keepZip,
        };
        command.SetAction((parse, cancel) =>
        {
            var o = parse.InvocationConfiguration.Output;
            var e = parse.InvocationConfiguration.Error;
            return ExpectedErrors.RunAsync(e, async () =>
            {
                var name = parse.GetValue(dataset);
                var address = parse.GetValue(url);
                var outDir = parse.GetValue(output)!;
                if ((name is null) == (address is null))
                    throw new UsageException("Give either --dataset OWNER/SLUG (Kaggle) or --url URL, not both and not neither.");
                var options = new DownloadOptions { Log = m => e.WriteLine(m) };
                var progress = new ProgressLine(e);
                DownloadResult result;
                if (name is not null)
                {
                    OptionChecks.Library(() => KaggleClient.ParseDataset(name));
                    var credentials = KaggleCredentials.Load(warn: m => e.WriteLine("warning: " + m));
                    var api = parse.GetValue(endpoint) is { } ep ? ParseUrl(ep, "--endpoint") : KaggleClient.DefaultEndpoint;
                    using var client = new KaggleClient(credentials, api, options);
                    result = await client.DownloadDatasetAsync(name, outDir, !parse.GetValue(keepZip), progress, cancel);
                }
                else
                {
                    var uri = ParseUrl(address!, "--url");
                    using var downloader = new FileDownloader(options);
                    result = await DatasetDownload.ToFolderAsync(downloader, uri, outDir, DatasetDownload.FileNameOf(uri),
                        !parse.GetValue(keepZip), progress: progress, log: m => e.WriteLine(m), cancel: cancel);
                }
                progress.Finish();
                o.WriteLine(result.Skipped
                    ? $"Already complete: {result.Path}"
                    : $"Downloaded {result.Bytes:N0} bytes to {result.Path}" +
                      (result.ExtractedEntries > 0 ? $" ({result.ExtractedEntries} files extracted)" : ""));
                if (result.RefusedEntries.Count > 0)
                    o.WriteLine($"Refused {result.RefusedEntries.Count} unsafe zip entr{(result.RefusedEntries.Count == 1 ? "y" : "ies")}: " +
                                string.Join(", ", result.RefusedEntries));
                return 0;
            });
        });
        return command;
    }

    private static Uri ParseUrl(string text, string option) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? (option == "--endpoint" && !uri.AbsolutePath.EndsWith('/') ? new Uri(uri + "/") : uri)
            : throw new UsageException($"{option} '{text}' is not an http(s) URL.");

    /// <summary>Progress on one line of standard error, redrawn in place.</summary>
    private sealed class ProgressLine(TextWriter error) : IProgress<DownloadProgress>
    {
        private bool drawn;

        public void Report(DownloadProgress value)
        {
            error.Write($"\r{value,-70}");
            drawn = true;
        }

        public void Finish()
        {
            if (drawn) error.WriteLine();
        }
    }
}
