using System.IO.Compression;
using XRay.Kaggle;

namespace XRay.Tests.Kaggle;

public class KaggleClientTests
{
    private static readonly KaggleCredentials Good = new("learner", "secret", "test");

    private static (DownloadOptions Options, List<string> Log, List<int> Retries) Instant()
    {
        var log = new List<string>();
        var retries = new List<int>();
        var options = new DownloadOptions
        {
            Backoff = n => { retries.Add(n); return TimeSpan.FromSeconds(Math.Min(Math.Pow(2, n), 60)); },
            Delay = (_, _) => Task.CompletedTask,
            ChunkBytes = 4096,
            Log = log.Add,
        };
        return (options, log, retries);
    }

    private static byte[] Zip(params (string Name, string Text)[] entries)
    {
        var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, text) in entries)
                using (var writer = new StreamWriter(zip.CreateEntry(name, CompressionLevel.NoCompression).Open()))
                    writer.Write(text);
        return stream.ToArray();
    }

    [Fact]
    public async Task Bad_credentials_get_401_with_a_message_saying_how_to_fix_them()
    {
        using var server = new FakeKaggleServer("learner", "secret");
        server.Files["set.zip"] = Zip(("a.txt", "a"));
        using var client = new KaggleClient(Good with { Key = "wrong" }, server.Endpoint, Instant().Options);
        var e = await Assert.ThrowsAsync<DownloadException>(() => client.DownloadDatasetAsync("owner/set", TestFiles.TempFolder()));
        Assert.Contains("HTTP 401", e.Message);
        Assert.Contains("kaggle.com/settings", e.Message);
    }

    [Fact]
    public async Task A_wrong_dataset_name_gets_404_and_a_malformed_one_is_refused()
    {
        using var server = new FakeKaggleServer("learner", "secret");
        using var client = new KaggleClient(Good, server.Endpoint, Instant().Options);
        var e = await Assert.ThrowsAsync<DownloadException>(() => client.DownloadDatasetAsync("owner/nothing", TestFiles.TempFolder()));
        Assert.Contains("no dataset owner/nothing (HTTP 404)", e.Message);
        Assert.Throws<ArgumentException>(() => KaggleClient.ParseDataset("just-a-slug"));
    }

    [Fact]
    public async Task Redirect_drops_authorization_and_a_dropped_connection_resumes_byte_identically()
    {
        using var server = new FakeKaggleServer("learner", "secret");
        var payload = new byte[300_000];
        new Random(1).NextBytes(payload);
        server.Files["big.zip"] = payload; // not a zip: kept as downloaded
        server.DropsLeft = 2;
        server.DropAfterBytes = 100_000;
        var (options, _, retries) = Instant();
        using var client = new KaggleClient(Good, server.Endpoint, options);
        var progress = new List<DownloadProgress>();
        var dir = TestFiles.TempFolder();

        var result = await client.DownloadDatasetAsync("owner/big", dir, progress: new SyncProgress<DownloadProgress>(progress.Add));

        Assert.Equal(payload, File.ReadAllBytes(Path.Combine(dir, "big.zip")));
        Assert.False(File.Exists(Path.Combine(dir, "big.zip.part")));
        Assert.Equal(new[] { 1, 2 }, retries);
        var requests = server.Requests.ToList();
        Assert.All(requests.Where(r => r.Path.StartsWith("/storage/")), r => Assert.Null(r.Authorization));
        Assert.All(requests.Where(r => r.Path.StartsWith("/api/")), r => Assert.Equal(server.ExpectedAuth, r.Authorization));
        Assert.Equal(new string?[] { null, "bytes=100000-", "bytes=200000-" },
            requests.Where(r => r.Path.StartsWith("/storage/")).Select(r => r.Range));
        Assert.Equal(300_000, progress[^1].Bytes);
        Assert.Equal(300_000, progress[^1].Total);
        Assert.False(result.Skipped);

        // Complete already: skipped.
        var again = await client.DownloadDatasetAsync("owner/big", dir);
        Assert.True(again.Skipped);
    }

    [Fact]
    public async Task A_zip_slip_entry_is_refused_and_reported_and_everything_else_extracted()
    {
        using var server = new FakeKaggleServer("learner", "secret");
        server.Files["xray.zip"] = Zip(("Data/train/NORMAL/a.txt", "a"), ("../evil", "bad"), ("Data/test/b.txt", "b"));
        var (options, log, _) = Instant();
        using var client = new KaggleClient(Good, server.Endpoint, options);
        var parent = TestFiles.TempFolder();
        var dir = Path.Combine(parent, "out");

        var result = await client.DownloadDatasetAsync("owner/xray", dir);

        Assert.Equal(new[] { "../evil" }, result.RefusedEntries);
        Assert.Equal(2, result.ExtractedEntries);
        Assert.Equal("a", File.ReadAllText(Path.Combine(dir, "Data", "train", "NORMAL", "a.txt")));
        Assert.Equal("b", File.ReadAllText(Path.Combine(dir, "Data", "test", "b.txt")));
        Assert.False(File.Exists(Path.Combine(parent, "evil")));
        Assert.False(File.Exists(Path.Combine(dir, "xray.zip")));
        Assert.Contains(log, l => l.Contains("refused zip entry '../evil'"));

        var count = server.Requests.Count;
        Assert.True((await client.DownloadDatasetAsync("owner/xray", dir)).Skipped);
        Assert.Equal(count, server.Requests.Count);
    }

    [Fact]
    public async Task Any_url_uses_the_same_download_and_unzip_path()
    {
        using var server = new FakeKaggleServer("learner", "secret");
        server.Files["Dataset.zip"] = Zip(("Dataset/train/x.txt", "x"));
        using var downloader = new FileDownloader(Instant().Options);
        var url = new Uri(server.Endpoint, "plain/Dataset.zip?dl=1");
        Assert.Equal("Dataset.zip", DatasetDownload.FileNameOf(url));
        var dir = TestFiles.TempFolder();
        var result = await DatasetDownload.ToFolderAsync(downloader, url, dir, DatasetDownload.FileNameOf(url));
        Assert.Equal(1, result.ExtractedEntries);
        Assert.Equal("x", File.ReadAllText(Path.Combine(dir, "Dataset", "train", "x.txt")));
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; tests need the reports in order, now.</summary>
    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
