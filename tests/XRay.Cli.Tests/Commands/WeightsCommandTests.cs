using System.Text.Json;
using XRay.Weights;

namespace XRay.Cli.Tests.Commands;

public class WeightsCommandTests
{
    private static T WithEnvironment<T>(IReadOnlyDictionary<string, string?> variables, Func<T> body)
    {
        var saved = variables.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
        try
        {
            foreach (var (k, v) in variables) Environment.SetEnvironmentVariable(k, v);
            return body();
        }
        finally
        {
            foreach (var (k, v) in saved) Environment.SetEnvironmentVariable(k, v);
        }
    }

    [Fact]
    public void List_json_names_every_set_with_its_cache_path_and_whether_it_is_there()
    {
        var home = TestFiles.TempFolder();
        var checkpoints = Directory.CreateDirectory(Path.Combine(home, "hub", "checkpoints")).FullName;
        File.WriteAllBytes(Path.Combine(checkpoints, "vgg19-dcbb9e9d.pth"), new byte[] { 1 });
        var (code, output, _) = WithEnvironment(new Dictionary<string, string?> { ["TORCH_HOME"] = home },
            () => CliRunner.Run("weights", "list", "--json"));
        Assert.Equal(0, code);
        var sets = JsonDocument.Parse(output).RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
        Assert.Equal(WeightCatalog.All.Select(w => w.Name).Order(), sets.Keys.Order());
        Assert.True(sets["vgg19.IMAGENET1K_V1"].GetProperty("cached").GetBoolean());
        Assert.False(sets["mobilenet-v2.IMAGENET1K_V1"].GetProperty("cached").GetBoolean());
        Assert.Equal(Path.Combine(checkpoints, "mobilenet_v2-b0353104.pth"), sets["mobilenet-v2.IMAGENET1K_V1"].GetProperty("path").GetString());
        Assert.Equal(72.154, sets["mobilenet-v2.IMAGENET1K_V2"].GetProperty("imagenet_top1").GetDouble());
    }

    [Fact]
    public void Download_refuses_a_tampered_file_and_an_unknown_name_with_one_line_and_exit_1()
    {
        using var server = new FakeKaggleServer("u", "k");
        server.Files["mobilenet_v2-b0353104.pth"] = new byte[5000]; // zeros: not torchvision's file
        var home = TestFiles.TempFolder();
        var line = WithEnvironment(new Dictionary<string, string?>
        {
            ["TORCH_HOME"] = home, [WeightCache.MirrorVariable] = new Uri(server.Endpoint, "plain").ToString(),
        }, () => CliRunner.AssertRefused("weights", "download", "mobilenet-v2.IMAGENET1K_V1"));
        Assert.Contains("SHA-256", line);
        Assert.Contains("b0353104", line);
        Assert.False(File.Exists(Path.Combine(home, "hub", "checkpoints", "mobilenet_v2-b0353104.pth")));

        Assert.Contains("mobilenet-v2.IMAGENET1K_V2", CliRunner.AssertRefused("weights", "download", "resnet50.IMAGENET1K_V1"));
    }

    [Fact]
    public void Download_prints_the_cached_path_of_a_file_already_there()
    {
        var home = TestFiles.TempFolder();
        var file = Path.Combine(Directory.CreateDirectory(Path.Combine(home, "hub", "checkpoints")).FullName, "vgg19-dcbb9e9d.pth");
        File.WriteAllBytes(file, new byte[] { 1, 2, 3 });
        var (code, output, _) = WithEnvironment(new Dictionary<string, string?> { ["TORCH_HOME"] = home, [WeightCache.MirrorVariable] = "http://127.0.0.1:9/" },
            () => CliRunner.Run("weights", "download", "vgg19.IMAGENET1K_V1"));
        Assert.Equal(0, code);
        Assert.Equal(file, output.Trim());
    }
}
