using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using XRay.Kaggle;
using XRay.Weights;

namespace XRay.Tests.Weights;

/// <summary>
/// The weights download against a loopback server (127.0.0.1) standing in for download.pytorch.org through
/// XRAY_WEIGHTS_MIRROR: the SHA-256 prefix in the name is checked before the file takes its name, a cut connection
/// resumes, a server that is down gives one message that says how to fill the cache.
/// </summary>
public class WeightDownloaderTests
{
    private static readonly DownloadOptions NoWait = new() { Delay = (_, _) => Task.CompletedTask, Log = _ => { } };

    private static (byte[] Bytes, string FileName) HubFile(int size = 300_000, string stem = "tiny_net")
    {
        var bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        return (bytes, $"{stem}-{Convert.ToHexStringLower(SHA256.HashData(bytes))[..8]}.pth");
    }

    private static WeightSet Set(string fileName) =>
        new("tiny-net.TEST", "mobilenet-v2", WeightSource.Torchvision, fileName, "https://download.invalid/models/",
            WeightTransforms.Torchvision(256), null, false);

    private static WeightCache Cache(FakeKaggleServer server, string home) =>
        new(home, Path.Combine(home, "keras"), Path.Combine(home, "nuget"), new Uri(server.Endpoint, "plain/").ToString());

    [Fact]
    public async Task A_good_file_lands_in_torch_hubs_checkpoints_folder_and_is_then_used_as_it_is()
    {
        using var server = new FakeKaggleServer("u", "k");
        var (bytes, name) = HubFile();
        server.Files[name] = bytes;
        var home = TestFiles.TempFolder();
        using var downloader = new WeightDownloader(Cache(server, home), NoWait);

        var path = await downloader.EnsureAsync(Set(name));

        Assert.Equal(Path.Combine(home, "hub", "checkpoints", name), path);
        Assert.Equal(bytes, File.ReadAllBytes(path));
        Assert.Equal(new[] { name }, Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
        var requests = server.Requests.Count;
        Assert.Equal(path, await downloader.EnsureAsync(Set(name)));
        Assert.Equal(requests, server.Requests.Count); // cached: no request at all, as torch hub
    }

    [Fact]
    public async Task A_tampered_file_is_deleted_and_never_reaches_the_cache()
    {
        using var server = new FakeKaggleServer("u", "k");
        var (bytes, name) = HubFile();
        var tampered = (byte[])bytes.Clone();
        tampered[1234] ^= 0xFF;
        server.Files[name] = tampered;
        var home = TestFiles.TempFolder();
        using var downloader = new WeightDownloader(Cache(server, home), NoWait);

        var error = await Assert.ThrowsAsync<DownloadException>(() => downloader.EnsureAsync(Set(name)));

        var actual = Convert.ToHexStringLower(SHA256.HashData(tampered))[..8];
        Assert.Contains("SHA-256", error.Message);
        Assert.Contains(HashPrefix.FromFileName(name)!, error.Message);
        Assert.Contains(actual, error.Message);
        var folder = Path.Combine(home, "hub", "checkpoints");
        Assert.Empty(Directory.GetFiles(folder)); // neither the final name nor a temporary one is left
    }

    [Fact]
    public async Task A_cut_connection_resumes_with_a_range_request()
    {
        using var server = new FakeKaggleServer("u", "k") { DropsLeft = 2, DropAfterBytes = 70_000 };
        var (bytes, name) = HubFile(500_000);
        server.Files[name] = bytes;
        var home = TestFiles.TempFolder();
        using var downloader = new WeightDownloader(Cache(server, home), NoWait with { ChunkBytes = 16_384 });

        var path = await downloader.EnsureAsync(Set(name));

        Assert.Equal(bytes, File.ReadAllBytes(path));
        var ranges = server.Requests.Select(r => r.Range).ToList();
        Assert.Equal(3, ranges.Count);
        Assert.Null(ranges[0]);
        Assert.Equal("bytes=70000-", ranges[1]);
        Assert.Equal("bytes=140000-", ranges[2]);
    }

    [Fact]
    public async Task A_download_that_gives_up_keeps_its_bytes_outside_the_final_name_and_the_next_call_resumes_them()
    {
        using var server = new FakeKaggleServer("u", "k") { DropsLeft = 3, DropAfterBytes = 50_000 };
        var (bytes, name) = HubFile(400_000);
        server.Files[name] = bytes;
        var home = TestFiles.TempFolder();
        using var downloader = new WeightDownloader(Cache(server, home), NoWait with { MaxRetries = 1, ChunkBytes = 16_384 });
        var final = Path.Combine(home, "hub", "checkpoints", name);

        var error = await Assert.ThrowsAsync<DownloadException>(() => downloader.EnsureAsync(Set(name)));
        Assert.Contains("run the same command again to resume", error.Message);
        Assert.False(File.Exists(final));
        Assert.Equal(100_000, new FileInfo(final + ".download.part").Length);

        Assert.Equal(final, await downloader.EnsureAsync(Set(name)));  // the third drop costs 50,000 more bytes, then it completes
        Assert.Equal(bytes, File.ReadAllBytes(final));
        Assert.Equal(new[] { name }, Directory.GetFiles(Path.GetDirectoryName(final)!).Select(Path.GetFileName));
        Assert.Equal("bytes=100000-", server.Requests.Select(r => r.Range).ElementAt(2));
    }

    [Fact]
    public async Task A_server_that_is_down_gives_one_message_with_the_url_the_cache_path_and_how_to_fill_it()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop(); // nothing listens there now
        var home = TestFiles.TempFolder();
        var (_, name) = HubFile();
        var cache = new WeightCache(home, home, home, $"http://127.0.0.1:{port}/models");
        var waits = 0;
        using var downloader = new WeightDownloader(cache, NoWait with { Delay = (_, _) => { waits++; return Task.CompletedTask; } });

        var error = await Assert.ThrowsAsync<DownloadException>(() => downloader.EnsureAsync(Set(name)));

        // It gives up after its retries (no timing: how long a refused connection takes depends on the machine).
        Assert.InRange(waits, 0, NoWait.MaxRetries);
        var path = Path.Combine(home, "hub", "checkpoints", name);
        Assert.Contains($"http://127.0.0.1:{port}/models/{name}", error.Message);
        Assert.Contains(path, error.Message);
        Assert.Contains("torch.hub.load_state_dict_from_url('https://download.invalid/models/" + name + "')", error.Message);
        Assert.Contains("curl -L", error.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    [Trait("Category", TestCategories.Parity)]
    public async Task Python_torch_hub_fills_the_same_cache_with_the_same_hash_check_and_we_use_its_file()
    {
        // A state dict saved by C#, served under a hub-style name; Python's torch.hub downloads it (check_hash=True runs
        // torch's own SHA-256 prefix check on our naming) into TORCH_HOME, where our downloader then finds it.
        using var server = new FakeKaggleServer("u", "k");
        using var weight = TorchSharp.torch.arange(12, dtype: TorchSharp.torch.ScalarType.Float32).reshape(3, 4);
        var bytes = XRay.IO.TensorFile.SaveToBytes(new Dictionary<string, TorchSharp.torch.Tensor> { ["w"] = weight });
        var name = $"shared-{Convert.ToHexStringLower(SHA256.HashData(bytes))[..8]}.pth";
        server.Files[name] = bytes;
        var home = TestFiles.TempFolder();
        var url = new Uri(server.Endpoint, "plain/" + name).ToString();
        var sum = TestSupport.PythonReference.Run(
            "import os, sys, torch\nos.environ['TORCH_HOME'] = sys.argv[1]\n" +
            "sd = torch.hub.load_state_dict_from_url(sys.argv[2], check_hash=True, progress=False)\nprint(float(sd['w'].sum()))", home, url);
        Assert.Equal("66.0", sum);
        var requests = server.Requests.Count;
        using var downloader = new WeightDownloader(Cache(server, home), NoWait);
        var path = await downloader.EnsureAsync(Set(name));
        Assert.Equal(requests, server.Requests.Count);
        Assert.Equal(bytes, File.ReadAllBytes(path));
    }

    [Fact]
    [Trait("Category", TestCategories.Parity)]
    public void The_cache_is_torchs_and_keras_as_their_environment_variables_say()
    {
        var saved = new[] { "TORCH_HOME", "XDG_CACHE_HOME", "KERAS_HOME", WeightCache.MirrorVariable }
            .ToDictionary(v => v, Environment.GetEnvironmentVariable);
        try
        {
            foreach (var v in saved.Keys) Environment.SetEnvironmentVariable(v, null);
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", "/tmp/xdg");
            var cache = WeightCache.FromEnvironment();
            Assert.Equal("/tmp/xdg/torch/hub/checkpoints", cache.TorchCheckpoints);
            Environment.SetEnvironmentVariable("TORCH_HOME", "/tmp/th");
            Environment.SetEnvironmentVariable("KERAS_HOME", "/tmp/kh");
            Environment.SetEnvironmentVariable(WeightCache.MirrorVariable, "http://mirror.local/w");
            cache = WeightCache.FromEnvironment();
            var v2 = WeightCatalog.Find("mobilenet-v2.IMAGENET1K_V2")!;
            Assert.Equal("/tmp/th/hub/checkpoints/mobilenet_v2-7ebf99e0.pth", cache.PathOf(v2));
            Assert.Equal("/tmp/kh/models/mobilenet_1_0_224_tf_no_top.h5", cache.PathOf(WeightCatalog.Find("mobilenet.keras")!));
            Assert.Equal("http://mirror.local/w/mobilenet_v2-7ebf99e0.pth", cache.UrlOf(v2).ToString());

            // Python's torch agrees on the folder (a file either puts there serves the other).
            var python = TestSupport.PythonReference.Run("import torch.hub, os; print(os.path.join(torch.hub.get_dir(), 'checkpoints'))");
            Assert.Equal("/tmp/th/hub/checkpoints", python);
        }
        finally
        {
            foreach (var (k, v) in saved) Environment.SetEnvironmentVariable(k, v);
        }
    }
}
