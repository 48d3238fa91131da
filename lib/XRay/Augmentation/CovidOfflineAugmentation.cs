using XRay.Runtime;
using XRay.Data;
using XRay.Imaging;

namespace XRay.Augmentation;

/// <summary>
/// The blog's offline augmentation of the small COVID19 class: each source image (resized to 224x224) plus five
/// variants, power law γ 0.4 and 0.55 (c = 10), 3x3 average, high-boost (λ 3) and Canny sharpening (50/225, λ 3).
/// The blog takes 300 shuffled training images, so 1,800 images come out.
/// </summary>
public static class CovidOfflineAugmentation
{
    public static readonly IReadOnlyList<(string Name, IImageTransform Transform)> Variants = new (string, IImageTransform)[]
    {
        ("pow040", new PowerLaw(0.4)),
        ("pow055", new PowerLaw(0.55)),
        ("avg3", new AverageFilter(3)),
        ("highboost", new HighBoost(3)),
        ("canny", new CannySharpen(50, 225, 3)),
    };

    /// <summary>The source image followed by its five variants.</summary>
    public static IReadOnlyList<PixelImage> Expand(PixelImage image, PixelArithmetic arithmetic = PixelArithmetic.Saturate)
    {
        var result = new List<PixelImage> { image };
        var none = new Random(0); // the variants are deterministic
        foreach (var (_, transform) in Variants)
        {
            IImageTransform step = transform switch
            {
                HighBoost h => h with { Arithmetic = arithmetic },
                CannySharpen c => c with { Arithmetic = arithmetic },
                _ => transform,
            };
            result.Add(step.Apply(image, none));
        }
        return result;
    }

    /// <summary>
    /// Writes up to <paramref name="limit"/> seeded-shuffled images of <paramref name="sourceFolder"/> and their variants as PNG
    /// into <paramref name="targetFolder"/> (name.png, name_pow040.png, ...). Bad files are skipped and returned.
    /// </summary>
    public static (int Written, IReadOnlyList<SkippedFile> Skipped) WriteFolder(string sourceFolder, string targetFolder,
        int limit = 300, int size = 224, ColorMode color = ColorMode.Grayscale, long seed = 0)
    {
        var files = Directory.GetFiles(sourceFolder).Where(f => ImageFileCheck.Extensions.Contains(Path.GetExtension(f)))
            .Order(StringComparer.Ordinal).ToArray();
        Seed.Random(seed).Shuffle(files);
        Directory.CreateDirectory(targetFolder);
        var skipped = new List<SkippedFile>();
        var written = 0;
        foreach (var file in files.Take(limit))
        {
            PixelImage image;
            try
            {
                // The blog's cv2.resize default is bilinear.
                image = Cv.Resize(ImageLoader.Read(file, color), size, size, Interpolation.Linear);
            }
            catch (ImageLoadException e)
            {
                skipped.Add(new SkippedFile(file, e.Reason));
                continue;
            }
            var stem = Path.GetFileNameWithoutExtension(file);
            var images = Expand(image);
            File.WriteAllBytes(Path.Combine(targetFolder, stem + ".png"), Cv.ImEncodePng(images[0]));
            for (var i = 0; i < Variants.Count; i++)
                File.WriteAllBytes(Path.Combine(targetFolder, $"{stem}_{Variants[i].Name}.png"), Cv.ImEncodePng(images[i + 1]));
            written += images.Count;
        }
        return (written, skipped);
    }
}
