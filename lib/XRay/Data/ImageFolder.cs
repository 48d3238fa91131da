using System.Globalization;
using XRay.Imaging;

namespace XRay.Data;

/// <summary>
/// One split folder, <c>DIR/CLASS/*.jpg</c>, as labelled samples (like torchvision's ImageFolder). Classes are the
/// sub-folder names, sorted ordinally, or in the order given (the blog's 0 NORMAL, 1 COVID19, 2 PNEUMONIA).
/// Files that are empty, truncated, not images or unreadable are left out and listed in <see cref="Skipped"/>.
/// </summary>
public sealed class ImageFolder
{
    public ImageFolder(string directory, IReadOnlyList<string>? classOrder = null, long maxPixels = Cv.DefaultMaxPixels)
    {
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"Image folder '{directory}' does not exist.");
        Root = Path.GetFullPath(directory);
        var found = Directory.GetDirectories(Root)
            .Select(Path.GetFileName).OfType<string>()
            .Where(n => !DatasetLayout.IsIgnored(n))
            .Order(StringComparer.Ordinal).ToList();
        if (classOrder is null)
        {
            if (found.Count == 0)
                throw new DirectoryNotFoundException($"'{directory}' has no class sub-folders; expected {directory}/CLASS/image.jpg.");
            ClassNames = found;
        }
        else
        {
            var missing = classOrder.Where(c => !found.Contains(c)).ToList();
            if (missing.Count > 0)
                throw new DirectoryNotFoundException(
                    $"'{directory}' has no folder for class(es) {string.Join(", ", missing)}; it has: {string.Join(", ", found)}.");
            ClassNames = classOrder.ToList();
        }

        var samples = new List<ImageSample>();
        var skipped = new List<SkippedFile>();
        for (var label = 0; label < ClassNames.Count; label++)
        {
            var files = Directory.EnumerateFiles(Path.Combine(Root, ClassNames[label]), "*", SearchOption.AllDirectories)
                .Where(f => !Path.GetFileName(f).StartsWith('.') && !f.Contains("__MACOSX", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal).ToArray();
            // The header checks read a few KB per file; in parallel they keep up with a 5,000-image folder.
            var problems = new string?[files.Length];
            Parallel.For(0, files.Length, i => problems[i] = ImageFileCheck.Problem(files[i], maxPixels));
            for (var i = 0; i < files.Length; i++)
            {
                if (problems[i] is { } reason) skipped.Add(new SkippedFile(files[i], reason));
                else samples.Add(new ImageSample(files[i], label));
            }
        }
        Samples = samples;
        Skipped = skipped;
    }

    private ImageFolder(string directory, IReadOnlyList<string> classNames, IReadOnlyList<ImageSample> samples, IReadOnlyList<SkippedFile> skipped)
    {
        Root = directory;
        ClassNames = classNames;
        Samples = samples;
        Skipped = skipped;
    }

    /// <summary>The folder's full path.</summary>
    public string Root { get; }

    public IReadOnlyList<string> ClassNames { get; }

    public IReadOnlyList<ImageSample> Samples { get; }

    public IReadOnlyList<SkippedFile> Skipped { get; }

    public int Count => Samples.Count;

    /// <summary>Images per class, in label order.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[ClassNames.Count];
        foreach (var s in Samples) counts[s.Label]++;
        return counts;
    }

    /// <summary>The same classes with other samples (a split taken from this one).</summary>
    public ImageFolder WithSamples(IReadOnlyList<ImageSample> samples, IReadOnlyList<SkippedFile>? skipped = null) =>
        new(Root, ClassNames, samples, skipped ?? Array.Empty<SkippedFile>());

    /// <summary>
    /// The blog's count lines, e.g. "Training Covid Images:  460" (Python's print puts a space after the colon's own).
    /// </summary>
    public string FormatCounts(string splitTitle)
    {
        var counts = ClassCounts();
        return string.Join(Environment.NewLine, ClassNames.Select((c, i) => BlogCountLine(splitTitle, c, counts[i])));
    }

    public static string BlogCountLine(string splitTitle, string className, int count) =>
        $"{splitTitle} {DisplayName(className)} Images:  {count}";

    /// <summary>COVID19 → Covid, NORMAL → Normal, as the blog writes them.</summary>
    public static string DisplayName(string className)
    {
        var letters = new string(className.Where(char.IsLetter).ToArray());
        if (letters.Length == 0) return className;
        return CultureInfo.InvariantCulture.TextInfo.ToTitleCase(letters.ToLowerInvariant());
    }
}
