using XRay.Imaging;

namespace XRay.Data;

/// <summary>
/// A dataset folder's train, validation and test splits. When val/ is missing or tiny (the Mooney set's 16 images),
/// it is merged into train and a seeded, stratified <see cref="ValidationFraction"/> of train becomes validation,
/// so no image is lost and the split repeats.
/// </summary>
public sealed class ImageDataset
{
    /// <summary>A val/ holding less than this share of train + val is too small to measure anything.</summary>
    public const double TinyValidationShare = 0.05;

    private ImageDataset(DatasetLayout layout, ImageFolder? train, ImageFolder? val, ImageFolder? test, IReadOnlyList<string> notes,
        double validationFraction)
    {
        Layout = layout;
        Train = train;
        Val = val;
        Test = test;
        Notes = notes;
        ValidationFraction = validationFraction;
    }

    public DatasetLayout Layout { get; }

    public ImageFolder? Train { get; }

    public ImageFolder? Val { get; }

    public ImageFolder? Test { get; }

    public double ValidationFraction { get; }

    /// <summary>What was decided, e.g. "val/ has 16 images: merged into train; 20% of train held out (seed 0)".</summary>
    public IReadOnlyList<string> Notes { get; }

    public IReadOnlyList<string> ClassNames => (Train ?? Test)!.ClassNames;

    /// <summary>Every skipped file of every split.</summary>
    public IEnumerable<SkippedFile> Skipped => new[] { Train, Val, Test }.OfType<ImageFolder>().SelectMany(f => f.Skipped).Distinct();

    /// <summary>"train", "val" or "test".</summary>
    public ImageFolder Split(string name) => name switch
    {
        "train" => Train,
        "val" or "validation" => Val,
        "test" => Test,
        _ => throw new ArgumentException($"Unknown split '{name}': use train, val or test.", nameof(name)),
    } ?? throw new DirectoryNotFoundException($"The dataset at '{Layout.Root}' has no {name} split.");

    /// <summary>The blogs' label convention: 0 Normal, 1 Covid, 2 Pneumonia (any other class after them, by name).</summary>
    public static readonly IReadOnlyList<string> BlogClassOrder = new[] { "NORMAL", "COVID19", "PNEUMONIA" };

    /// <summary>Opens the dataset with its classes in <see cref="BlogClassOrder"/>, whichever of them it has.</summary>
    public static ImageDataset OpenInBlogOrder(string root, double validationFraction = 0.2, long seed = 0)
    {
        var layout = DatasetLayout.Find(root);
        var first = layout.Splits.TryGetValue("train", out var train) ? train : layout.Splits["test"];
        var present = Directory.GetDirectories(first).Select(Path.GetFileName).OfType<string>()
            .Where(n => !DatasetLayout.IsIgnored(n)).ToHashSet();
        var order = BlogClassOrder.Where(present.Contains).Concat(present.Except(BlogClassOrder).Order(StringComparer.Ordinal)).ToList();
        return Open(root, order, validationFraction, seed);
    }

    public static ImageDataset Open(string root, IReadOnlyList<string>? classOrder = null, double validationFraction = 0.2,
        long seed = 0, long maxPixels = Cv.DefaultMaxPixels)
    {
        var layout = DatasetLayout.Find(root);
        var notes = new List<string>();
        ImageFolder? Load(string split, IReadOnlyList<string>? order) =>
            layout.Splits.TryGetValue(split, out var dir) ? new ImageFolder(dir, order, maxPixels) : null;

        var train = Load("train", classOrder);
        var order = train?.ClassNames ?? classOrder;
        var val = Load("val", order);
        var test = Load("test", order);
        if (train is not null && validationFraction > 0)
        {
            var valCount = val?.Count ?? 0;
            if (valCount < TinyValidationShare * (train.Count + valCount))
            {
                var pool = train.Samples.Concat(val?.Samples ?? Array.Empty<ImageSample>()).ToList();
                var (t, v) = ValidationSplit.Stratified(pool, validationFraction, seed);
                notes.Add(val is null
                    ? $"no val/ folder: {validationFraction:P0} of train held out for validation (stratified, seed {seed})"
                    : $"val/ has only {valCount} images: merged into train, then {validationFraction:P0} held out for validation (stratified, seed {seed})");
                var skipped = train.Skipped.Concat(val?.Skipped ?? Array.Empty<SkippedFile>()).ToList();
                train = train.WithSamples(t, skipped);
                val = train.WithSamples(v);
            }
        }
        return new ImageDataset(layout, train, val, test, notes, validationFraction);
    }
}
