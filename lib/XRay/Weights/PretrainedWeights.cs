using XRay.Data;
using XRay.Kaggle;
using XRay.Models;

namespace XRay.Weights;

/// <summary>
/// --weights none|imagenet|NAME|PATH: which file a word means for an arch, loading it into a model, and the input the
/// weights expect. "imagenet" is torchvision's DEFAULT for torchvision archs, Keras' for mobilenet and the package's
/// for resnet18-mlnet; a PATH is read by its extension (.onnx: the ResNet package's graph, .h5: Keras, otherwise a
/// torch.save file in either format) and expects the arch's ImageNet input.
/// </summary>
public static class PretrainedWeights
{
    /// <summary>The catalogue entry a word names for the arch, or null for "none" and for a path.</summary>
    public static WeightSet? SetFor(string word, string arch) =>
        WeightCatalog.TryResolve(word, arch, out var set) ? set : null;

    public static bool IsNone(string? word) => word is null || string.Equals(word, WeightCatalog.None, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The input <paramref name="basic"/> becomes for these weights: RGB (a gray X-ray is repeated to 3 channels) and
    /// the weights' normalization, at the basic size. "none" leaves it as it is.
    /// </summary>
    public static Preprocessing PreprocessingFor(string? word, string arch, Preprocessing basic)
    {
        if (IsNone(word)) return basic;
        var set = SetFor(word!, arch) ?? WeightCatalog.DefaultFor(arch)
                  ?? throw new ArgumentException($"There are no pretrained weights for arch '{arch}', so --weights {word} cannot say what input they expect.");
        return basic with
        {
            Color = ColorMode.Rgb, Mean = 0, Std = 1, ChannelMean = set.Transforms.Mean, ChannelStd = set.Transforms.Std,
            Weights = SetFor(word!, arch)?.Name ?? Path.GetFullPath(word!),
        };
    }

    /// <summary>
    /// Whether the weights a word names are on this machine without a download: a catalogue set's file in its cache
    /// (Keras' and torchvision's only after a download or a copy; the NuGet ResNet after a restore), or an existing file.
    /// "none" needs no file.
    /// </summary>
    public static bool IsAvailable(string word, string arch, WeightCache? cache = null)
    {
        if (IsNone(word)) return true;
        return SetFor(word, arch) is { } set ? File.Exists((cache ?? WeightCache.FromEnvironment()).PathOf(set)) : File.Exists(word);
    }

    /// <summary>The file for a word: a catalogue set's cached file (downloaded when missing), or the path itself.</summary>
    public static string FileFor(string word, string arch, WeightDownloader? downloader = null, IProgress<DownloadProgress>? progress = null)
    {
        if (SetFor(word, arch) is not { } set)
        {
            if (File.Exists(word)) return Path.GetFullPath(word);
            throw new ArgumentException(
                $"--weights '{word}' is neither none, imagenet, a weight set (xray weights list) nor an existing file.");
        }
        var own = downloader is null;
        downloader ??= new WeightDownloader();
        try
        {
            return downloader.EnsureAsync(set, progress).GetAwaiter().GetResult();
        }
        finally
        {
            if (own) downloader.Dispose();
        }
    }

    /// <summary>
    /// <see cref="FileFor"/>, or null with the reason when the file cannot be had here: not cached and no network
    /// (or a refused download), or a NuGet package that was not restored.
    /// </summary>
    public static string? TryFileFor(string word, string arch, out string? reason, WeightDownloader? downloader = null)
    {
        try
        {
            reason = null;
            return FileFor(word, arch, downloader);
        }
        catch (Exception e) when (e is DownloadException or FileNotFoundException)
        {
            reason = e.Message;
            return null;
        }
    }

    /// <summary>
    /// A model of <paramref name="spec"/> (<see cref="ModelFactory"/>) with pretrained feature weights: <paramref name="weights"/> is none, imagenet (the arch's default set), a
    /// weight set's name (xray weights list) or a file. Catalogue files are downloaded into their cache when missing
    /// (see <see cref="WeightDownloader"/>). The head is freshly initialized (seeded). Feed it the input
    /// <see cref="PreprocessingFor"/> gives.
    /// </summary>
    public static ClassifierModel CreateModel(ModelSpec spec, string weights, long? seed = null, WeightDownloader? downloader = null)
    {
        if (IsNone(weights)) return ModelFactory.Create(spec, seed);
        if (WeightCatalog.DefaultFor(spec.Arch) is null)
            throw new ArgumentException(
                $"Pretrained weights are for {string.Join(", ", WeightCatalog.All.Select(w => w.Arch).Distinct())}, not {spec.Arch}.");
        var path = FileFor(weights, spec.Arch, downloader);
        var model = ModelFactory.Create(spec, seed);
        try
        {
            Load(model, path);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Loads the file into the model's feature extractor (its head stays as initialized).</summary>
    public static void Load(ClassifierModel model, string path)
    {
        switch (model)
        {
            case ResNet18Mlnet resnet when path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase):
                resnet.LoadOnnx(path);
                break;
            case MobileNetV1 mobilenet when path.EndsWith(".h5", StringComparison.OrdinalIgnoreCase):
                mobilenet.LoadKeras(path);
                break;
            case TransferModel transfer when !path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) && !path.EndsWith(".h5", StringComparison.OrdinalIgnoreCase):
                transfer.LoadPretrained(path);
                break;
            default:
                throw new ArgumentException($"'{path}' is not a weights file that arch '{model.Spec.Arch}' can load.");
        }
    }
}
