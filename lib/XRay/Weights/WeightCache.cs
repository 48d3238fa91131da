namespace XRay.Weights;

/// <summary>
/// Where weight files live: torch's own cache for torchvision's (so a file Python downloaded serves C# and the other
/// way round), Keras' for Keras', the NuGet packages folder for the package's. Mirror, when set, replaces every
/// source's base URL (XRAY_WEIGHTS_MIRROR: mirrors, air-gapped sites, tests).
/// </summary>
public sealed record WeightCache(string TorchHome, string KerasHome, string NuGetPackages, string? Mirror = null)
{
    public const string MirrorVariable = "XRAY_WEIGHTS_MIRROR";

    /// <summary>
    /// From the environment, as torch, Keras and NuGet resolve them: $TORCH_HOME, else $XDG_CACHE_HOME/torch, else
    /// ~/.cache/torch; $KERAS_HOME, else ~/.keras; $NUGET_PACKAGES, else ~/.nuget/packages.
    /// </summary>
    public static WeightCache FromEnvironment()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;
        var torch = Env("TORCH_HOME") ?? Path.Combine(Env("XDG_CACHE_HOME") ?? Path.Combine(home, ".cache"), "torch");
        var keras = Env("KERAS_HOME") ?? Path.Combine(home, ".keras");
        var nuget = Env("NUGET_PACKAGES") ?? Path.Combine(home, ".nuget", "packages");
        return new WeightCache(Expand(torch, home), Expand(keras, home), Expand(nuget, home), Env(MirrorVariable));
    }

    private static string Expand(string path, string home) => path.StartsWith('~') ? home + path[1..] : path;

    /// <summary>torch hub's checkpoints folder: $TORCH_HOME/hub/checkpoints.</summary>
    public string TorchCheckpoints => Path.Combine(TorchHome, "hub", "checkpoints");

    /// <summary>Keras' downloaded applications: $KERAS_HOME/models.</summary>
    public string KerasModels => Path.Combine(KerasHome, "models");

    /// <summary>The file's path in its cache (it may not exist yet).</summary>
    public string PathOf(WeightSet set) => set.Source switch
    {
        WeightSource.Torchvision => Path.Combine(TorchCheckpoints, set.FileName),
        WeightSource.Keras => Path.Combine(KerasModels, set.FileName),
        _ => Path.Combine(NuGetPackages, set.BaseUrl, set.FileName),
    };

    /// <summary>Where the file is fetched from: the publisher's URL, or the mirror's base with the file name appended.</summary>
    public Uri UrlOf(WeightSet set) =>
        Mirror is { } m ? new Uri(m.TrimEnd('/') + "/" + Path.GetFileName(set.FileName)) : set.Url;
}
