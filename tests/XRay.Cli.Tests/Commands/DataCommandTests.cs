using System.IO.Compression;
using System.Text.Json;

namespace XRay.Cli.Tests.Commands;

public class DataCommandTests
{
    [Fact]
    public void Synthetic_then_stats_json_has_the_issues_shape()
    {
        var dir = TestFiles.TempFolder();
        var (code, output, _) = CliRunner.Run("data", "synthetic", "--out", dir, "--classes", "2", "--per-class", "3", "--size", "40", "--seed", "9");
        Assert.Equal(0, code);
        Assert.Contains("Wrote 8 synthetic images", output);
        File.WriteAllBytes(Path.Combine(dir, "train", "NORMAL", "zero.jpg"), Array.Empty<byte>());

        var (statsCode, json, _) = CliRunner.Run("data", "stats", dir, "--json");

        Assert.Equal(0, statsCode);
        using var doc = JsonDocument.Parse(json);
        var splits = doc.RootElement.GetProperty("splits");
        Assert.Equal(3, splits.GetProperty("train").GetProperty("NORMAL").GetInt32());
        Assert.Equal(1, splits.GetProperty("test").GetProperty("PNEUMONIA").GetInt32());
        var skipped = Assert.Single(doc.RootElement.GetProperty("skipped").EnumerateArray());
        Assert.EndsWith("zero.jpg", skipped.GetProperty("path").GetString());
        Assert.Equal("empty file (0 bytes)", skipped.GetProperty("reason").GetString());

        var (_, text, _) = CliRunner.Run("data", "stats", dir);
        Assert.Contains("Training Normal Images:  3", text);
    }

    [Fact]
    public void Synthetic_with_ratios_writes_imbalanced_splits_and_refuses_bad_ratios()
    {
        var dir = TestFiles.TempFolder();
        var (code, output, error) = CliRunner.Run("data", "synthetic", "--out", dir, "--per-class", "20", "--size", "32", "--ratios", "10:1:3");
        Assert.True(code == 0, error);
        Assert.Contains("train NORMAL=20 COVID19=2 PNEUMONIA=6; test NORMAL=5 COVID19=1 PNEUMONIA=2", output); // test: 20 / 4 = 5 before the ratios
        Assert.Equal(2, Directory.GetFiles(Path.Combine(dir, "train", "COVID19")).Length);

        Assert.Contains("'x' (PNEUMONIA) is not a number",
            CliRunner.AssertRefused("data", "synthetic", "--out", TestFiles.TempFolder(), "--ratios", "1:0:x"));
        Assert.Contains("has 2 value(s) but there are 3 classes",
            CliRunner.AssertRefused("data", "synthetic", "--out", TestFiles.TempFolder(), "--ratios", "3:1"));
        Assert.Contains("has 3 value(s) but there are 2 classes (NORMAL:PNEUMONIA)",
            CliRunner.AssertRefused("data", "synthetic", "--out", TestFiles.TempFolder(), "--classes", "2", "--ratios", "3:1:1"));
    }

    [Fact]
    public void Bad_input_gives_one_line_and_a_non_zero_exit_code()
    {
        foreach (var (args, expected) in new[]
                 {
                     (new[] { "data", "stats", "/nonexistent/folder" }, 1),                                       // failure: no such folder
                     (new[] { "data", "synthetic", "--out", TestFiles.TempFolder(), "--classes", "4" }, 2),       // usage: bad values
                     (new[] { "data", "download", "--out", TestFiles.TempFolder(), "--dataset", "no-slash" }, 2),
                     (new[] { "data", "download", "--out", TestFiles.TempFolder(), "--url", "ftp://example/x.zip" }, 2),
                 })
        {
            var (code, _, error) = CliRunner.Run(args);
            Assert.Equal(expected, code);
            Assert.StartsWith("error: ", error);
            Assert.DoesNotContain("   at ", error);
        }
    }

    [Fact]
    public void Download_with_endpoint_and_url_go_through_the_loopback_server()
    {
        using var server = new FakeKaggleServer("cli-user", "cli-key");
        var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
            using (var w = new StreamWriter(archive.CreateEntry("chest_xray/train/NORMAL/a.txt").Open()))
                w.Write("a");
        server.Files["tiny.zip"] = zip.ToArray();
        var dir = TestFiles.TempFolder();
        Environment.SetEnvironmentVariable("KAGGLE_USERNAME", "cli-user");
        Environment.SetEnvironmentVariable("KAGGLE_KEY", "cli-key");
        try
        {
            var (code, output, error) = CliRunner.Run("data", "download", "--dataset", "someone/tiny", "--out", dir, "--endpoint", server.Endpoint.ToString());
            Assert.True(code == 0, error);
            Assert.Contains("1 files extracted", output);
            Assert.True(File.Exists(Path.Combine(dir, "chest_xray", "train", "NORMAL", "a.txt")));
            Assert.Contains("Already complete", CliRunner.Run("data", "download", "--dataset", "someone/tiny", "--out", dir, "--endpoint", server.Endpoint.ToString()).Out);

            Environment.SetEnvironmentVariable("KAGGLE_KEY", "wrong");
            var (badCode, _, badError) = CliRunner.Run("data", "download", "--dataset", "someone/tiny", "--out", TestFiles.TempFolder(), "--endpoint", server.Endpoint.ToString());
            Assert.Equal(1, badCode);
            Assert.Contains("HTTP 401", badError);
        }
        finally
        {
            Environment.SetEnvironmentVariable("KAGGLE_USERNAME", null);
            Environment.SetEnvironmentVariable("KAGGLE_KEY", null);
        }
        var urlDir = TestFiles.TempFolder();
        var (urlCode, urlOut, urlErr) = CliRunner.Run("data", "download", "--url", new Uri(server.Endpoint, "plain/tiny.zip").ToString(), "--out", urlDir);
        Assert.True(urlCode == 0, urlErr);
        Assert.Contains("1 files extracted", urlOut);
    }
}
