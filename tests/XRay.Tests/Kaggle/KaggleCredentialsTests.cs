using System.Runtime.Versioning;
using XRay.Kaggle;

namespace XRay.Tests.Kaggle;

// File modes are what the warning is about; the project builds and tests on Linux.
[UnsupportedOSPlatform("windows")]
public class KaggleCredentialsTests
{
    private static Func<string, string?> Env(Dictionary<string, string> values) => name => values.GetValueOrDefault(name);

    [Fact]
    public void A_kaggle_json_readable_by_others_warns_but_still_loads()
    {
        var home = TestFiles.TempFolder();
        var path = Path.Combine(home, ".kaggle", "kaggle.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, """{"username": "learner", "key": "k123"}""");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead); // 644
        var warnings = new List<string>();

        var creds = KaggleCredentials.Load(Env(new() { ["HOME"] = home }), warnings.Add);

        Assert.Equal(("learner", "k123", path), (creds.Username, creds.Key, creds.Source));
        Assert.Contains($"chmod 600 {path}", Assert.Single(warnings));

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite); // 600
        warnings.Clear();
        KaggleCredentials.Load(Env(new() { ["HOME"] = home }), warnings.Add);
        Assert.Empty(warnings);
    }

    [Fact]
    public void Without_a_warn_callback_the_warning_goes_to_the_library_logger()
    {
        var logs = CapturedLogs.Installed;
        var home = TestFiles.TempFolder();
        var path = Path.Combine(home, ".kaggle", "kaggle.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, """{"username": "learner", "key": "k123"}""");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        KaggleCredentials.Load(Env(new() { ["HOME"] = home }));

        var entry = Assert.Single(logs.Containing($"chmod 600 {path}"));
        Assert.Equal((Microsoft.Extensions.Logging.LogLevel.Warning, typeof(KaggleCredentials).FullName), (entry.Level, entry.Category));
    }

    [Fact]
    public void Environment_wins_then_config_dir_then_home_then_xdg()
    {
        var home = TestFiles.TempFolder();
        var config = TestFiles.TempFolder();
        var xdg = TestFiles.TempFolder();
        void Write(string dir, string user)
        {
            Directory.CreateDirectory(dir);
            var p = Path.Combine(dir, "kaggle.json");
            File.WriteAllText(p, $$"""{"username": "{{user}}", "key": "k"}""");
            File.SetUnixFileMode(p, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        Write(Path.Combine(xdg, "kaggle"), "from-xdg");
        var env = new Dictionary<string, string> { ["HOME"] = home, ["XDG_CONFIG_HOME"] = xdg };
        Assert.Equal("from-xdg", KaggleCredentials.Load(Env(env)).Username);
        Write(Path.Combine(home, ".kaggle"), "from-home");
        Assert.Equal("from-home", KaggleCredentials.Load(Env(env)).Username);
        Write(config, "from-config");
        env["KAGGLE_CONFIG_DIR"] = config;
        Assert.Equal("from-config", KaggleCredentials.Load(Env(env)).Username);
        env["KAGGLE_USERNAME"] = "from-env";
        env["KAGGLE_KEY"] = "k";
        Assert.Equal("from-env", KaggleCredentials.Load(Env(env)).Username);
    }

    [Fact]
    public void No_credentials_or_a_broken_file_say_how_to_create_a_token()
    {
        var home = TestFiles.TempFolder();
        var e = Assert.Throws<DownloadException>(() => KaggleCredentials.Load(Env(new() { ["HOME"] = home })));
        Assert.Contains("No Kaggle credentials found", e.Message);
        Assert.Contains("Create a token at https://www.kaggle.com/settings", e.Message);
        Directory.CreateDirectory(Path.Combine(home, ".kaggle"));
        File.WriteAllText(Path.Combine(home, ".kaggle", "kaggle.json"), "{not json");
        Assert.Contains("is not valid JSON", Assert.Throws<DownloadException>(() => KaggleCredentials.Load(Env(new() { ["HOME"] = home }), _ => { })).Message);
    }
}
