using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace XRay.Kaggle;

/// <summary>
/// A Kaggle username and API key, found as the Kaggle CLI finds them: KAGGLE_USERNAME + KAGGLE_KEY win; otherwise
/// kaggle.json in $KAGGLE_CONFIG_DIR, else ~/.kaggle, else $XDG_CONFIG_HOME/kaggle (~/.config/kaggle).
/// </summary>
public sealed record KaggleCredentials(string Username, string Key, string Source)
{
    public const string HowToCreate =
        "Create a token at https://www.kaggle.com/settings (API → Create New Token), save the downloaded kaggle.json as " +
        "~/.kaggle/kaggle.json and run `chmod 600 ~/.kaggle/kaggle.json`, or set KAGGLE_USERNAME and KAGGLE_KEY. " +
        "No account? `xray data synthetic --out data/synthetic` makes a dataset that needs none.";

    /// <param name="environment">Reads a variable; null reads the process environment (tests pass their own).</param>
    /// <param name="warn">Receives the warning about a key file other users can read.</param>
    public static KaggleCredentials Load(Func<string, string?>? environment = null, Action<string>? warn = null)
    {
        var env = environment ?? Environment.GetEnvironmentVariable;
        var user = env("KAGGLE_USERNAME");
        var key = env("KAGGLE_KEY");
        if (!string.IsNullOrWhiteSpace(user) && !string.IsNullOrWhiteSpace(key))
            return new KaggleCredentials(user, key, "the KAGGLE_USERNAME and KAGGLE_KEY environment variables");

        var searched = SearchPaths(env).ToList();
        foreach (var path in searched)
            if (File.Exists(path)) return FromFile(path, warn ?? (m => XRayLogging.For(typeof(KaggleCredentials)).LogWarning("{Warning}", m)));
        throw new DownloadException($"No Kaggle credentials found (looked at KAGGLE_USERNAME/KAGGLE_KEY and {string.Join(", ", searched)}). {HowToCreate}");
    }

    public static IEnumerable<string> SearchPaths(Func<string, string?> env)
    {
        var home = env("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (env("KAGGLE_CONFIG_DIR") is { Length: > 0 } config) yield return Path.Combine(config, "kaggle.json");
        yield return Path.Combine(home, ".kaggle", "kaggle.json");
        var xdg = env("XDG_CONFIG_HOME") is { Length: > 0 } x ? x : Path.Combine(home, ".config");
        yield return Path.Combine(xdg, "kaggle", "kaggle.json");
    }

    private static KaggleCredentials FromFile(string path, Action<string> warn)
    {
        if (!OperatingSystem.IsWindows())
        {
            const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
            if ((File.GetUnixFileMode(path) & others) != 0)
                warn($"Your Kaggle API key is readable by other users on this system! To fix this, you can run 'chmod 600 {path}'");
        }
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            string? Field(string name) =>
                doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
                    ? v.GetString() : null;
            var user = Field("username");
            var key = Field("key");
            if (string.IsNullOrWhiteSpace(user) || string.IsNullOrWhiteSpace(key))
                throw new DownloadException($"{path} must hold {{\"username\": \"...\", \"key\": \"...\"}}. {HowToCreate}");
            return new KaggleCredentials(user, key, path);
        }
        catch (JsonException e)
        {
            throw new DownloadException($"{path} is not valid JSON ({e.Message}). {HowToCreate}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DownloadException($"Cannot read {path}: {e.Message}.", e);
        }
    }
}
