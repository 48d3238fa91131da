using System.Text;
using System.Text.Json;
using XRay.Data;
using XRay.Features;
using XRay.Predictors;
using XRay.IO;
using XRay.Metrics;
using static TorchSharp.torch;

namespace XRay.Classic;

/// <summary>
/// A classic classifier with its feature extractor: what `xray train-classifier` writes to its output folder and what
/// `xray evaluate` and `xray predict` read as they read a CNN checkpoint. The folder holds model.zip (ML.NET's model),
/// extractor.pt (the CNN whose features it was trained on, as an xray checkpoint) and classifier.json (class names,
/// algorithm, options, pooling, the extractor's fingerprint).
/// </summary>
public sealed class ClassicModel : IImagePredictor
{
    public const string ModelFileName = "model.zip";
    public const string InfoFileName = "classifier.json";
    public const string ExtractorFileName = "extractor.pt";

    private readonly bool ownsExtractor;

    public ClassicModel(FeatureExtractor extractor, ClassicClassifier classifier, ClassicModelInfo info, bool ownsExtractor = false)
    {
        Extractor = extractor;
        Classifier = classifier;
        Info = info;
        this.ownsExtractor = ownsExtractor;
    }

    public FeatureExtractor Extractor { get; }

    public ClassicClassifier Classifier { get; }

    public ClassicModelInfo Info { get; }

    public IReadOnlyList<string> ClassNames => Classifier.ClassNames;

    public Preprocessing Preprocessing => Extractor.Preprocessing;

    public long SplitSeed => Info.SplitSeed;

    public Predictions Predict(IBatchSource data) => Classifier.Predict(Extractor.Extract(data));

    public Predictions Predict(FeatureSet features) => Classifier.Predict(features);

    public float[][] Probabilities(Tensor images) => Classifier.Probabilities(Extractor.Rows(images));

    /// <summary>Writes model.zip, extractor.pt and classifier.json into <paramref name="folder"/> (each atomically).</summary>
    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        Extractor.Save(Path.Combine(folder, ExtractorFileName), ClassNames);
        Classifier.Save(Path.Combine(folder, ModelFileName));
        AtomicFile.Write(Path.Combine(folder, InfoFileName), Encoding.UTF8.GetBytes(JsonSerializer.Serialize(Info, JsonDefaults.Indented)));
    }

    /// <summary>True for a folder holding classifier.json, or that folder's model.zip or classifier.json.</summary>
    public static bool IsClassicModel(string path) => InfoPath(path) is not null;

    private static string? InfoPath(string path)
    {
        var candidate = Directory.Exists(path) ? Path.Combine(path, InfoFileName)
            : Path.GetFileName(path) is ModelFileName or InfoFileName ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, InfoFileName)
            : null;
        return candidate is not null && File.Exists(candidate) ? candidate : null;
    }

    /// <summary>Reads what <see cref="Save"/> wrote; <paramref name="path"/> is the folder, its model.zip or its classifier.json.</summary>
    public static ClassicModel Load(string path, Device? device = null)
    {
        var infoPath = InfoPath(path) ?? throw new FileNotFoundException($"No {InfoFileName} at or beside '{path}': it is not a folder written by `xray train-classifier`.", path);
        var folder = Path.GetDirectoryName(infoPath)!;
        ClassicModelInfo info;
        try
        {
            info = JsonSerializer.Deserialize<ClassicModelInfo>(File.ReadAllBytes(infoPath), JsonDefaults.Options)
                   ?? throw new InvalidDataException($"'{infoPath}' is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{infoPath}' is not valid JSON ({e.Message}); train the classifier again.", e);
        }
        if (info.Format != ClassicModelInfo.FormatName || info.Version > ClassicModelInfo.CurrentVersion)
            throw new InvalidDataException($"'{infoPath}' is format '{info.Format}' version {info.Version}; this library reads '{ClassicModelInfo.FormatName}' up to {ClassicModelInfo.CurrentVersion}.");
        var extractor = FeatureExtractor.FromCheckpoint(Path.Combine(folder, ExtractorFileName), info.Pooling, device);
        try
        {
            // A different extractor.pt would give features the classifier never saw: refuse it rather than predict nonsense.
            if (extractor.Fingerprint != info.ExtractorFingerprint)
                throw new InvalidDataException($"'{Path.Combine(folder, ExtractorFileName)}' is not the feature extractor the classifier in '{folder}' was trained on.");
            var classifier = ClassicClassifier.Load(Path.Combine(folder, ModelFileName), info.ClassNames, info.Dimension);
            return new ClassicModel(extractor, classifier, info, ownsExtractor: true);
        }
        catch
        {
            extractor.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (ownsExtractor) Extractor.Dispose();
    }
}

/// <summary>classifier.json: what a classic model is, beside ML.NET's model.zip.</summary>
public sealed record ClassicModelInfo
{
    public const string FormatName = "xray-classic";
    public const int CurrentVersion = 1;

    public string Format { get; init; } = FormatName;
    public int Version { get; init; } = CurrentVersion;
    public string[] ClassNames { get; init; } = Array.Empty<string>();
    public ClassicOptions Options { get; init; } = new();

    /// <summary>The extractor's architecture and where its weights came from, e.g. "blog-cnn from runs/05-training/checkpoint.pt".</summary>
    public string Extractor { get; init; } = "";
    public string ExtractorFingerprint { get; init; } = "";
    public FeaturePooling Pooling { get; init; }
    public Preprocessing Preprocessing { get; init; } = new();
    public int Dimension { get; init; }
    public long SplitSeed { get; init; }
    public int TrainSamples { get; init; }
}
