using System.Text;
using XRay.Runtime;
using XRay.Imaging;

namespace XRay.Synthetic;

/// <summary>
/// Deterministic chest-X-ray-like images, so every notebook runs with no account and no network. Each image draws its
/// own anatomy (thorax, lungs, ribs, spine, heart, diaphragm), contrast and noise. PNEUMONIA adds a dense focal
/// consolidation in one lung; COVID19 a bilateral, peripheral ground-glass haze. The signs are faint against the
/// per-image variation and every class carries faint distractor blobs, so a CNN has to learn them: well above chance
/// after a short run, not perfect at once. Each image has its own seed, so the set is byte-identical for a seed
/// whatever the number of threads.
/// </summary>
public static class SyntheticChestXray
{
    public static SyntheticResult Generate(string outDirectory, SyntheticOptions options)
    {
        options.Validate();
        var classes = options.ClassNames;
        var splits = new List<(string Name, int PerClass)> { ("train", options.PerClass), ("test", options.TestPerClass ?? Math.Max(1, options.PerClass / 4)) };
        if (options.ValPerClass > 0) splits.Add(("val", options.ValPerClass));
        var jobs = new List<(string Path, string Class, ulong Seed)>();
        var counts = splits.ToDictionary(s => s.Name, s => (IReadOnlyDictionary<string, int>)Enumerable.Range(0, classes.Count)
            .ToDictionary(c => classes[c], c => options.CountFor(c, s.PerClass)));
        for (var s = 0; s < splits.Count; s++)
            for (var c = 0; c < classes.Count; c++)
            {
                var dir = Path.Combine(outDirectory, splits[s].Name, classes[c]);
                Directory.CreateDirectory(dir);
                for (var i = 0; i < counts[splits[s].Name][classes[c]]; i++)
                    jobs.Add((Path.Combine(dir, $"{classes[c].ToLowerInvariant()}_{i:D4}.jpg"), classes[c],
                        Seed.Derive(options.Seed, SplitCode(splits[s].Name), ClassCode(classes[c]), i)));
            }
        Parallel.ForEach(jobs, job =>
        {
            var image = Render(job.Class, options.Size, new Random((int)(job.Seed & 0x7FFFFFFF)));
            File.WriteAllBytes(job.Path, Cv.ImEncodeJpeg(image, options.JpegQuality));
        });
        File.WriteAllText(Path.Combine(outDirectory, "README.txt"), Readme(options, splits, counts));
        return new SyntheticResult(outDirectory, classes, splits.ToDictionary(s => s.Name, s => s.PerClass), jobs.Count) { Counts = counts };
    }

    // Seeds depend on names, not on list positions, so the 2-class set's NORMAL images equal the 3-class set's.
    private static long SplitCode(string split) => split switch { "train" => 1, "test" => 2, _ => 3 };

    private static long ClassCode(string name) => name switch { "NORMAL" => 11, "COVID19" => 12, _ => 13 };

    /// <summary>One image of the class, size x size, gray.</summary>
    public static PixelImage Render(string className, int size, Random random)
    {
        var r = new Rng(random);
        var img = new float[size * size];
        var cx = 0.5 + r.Normal(0, 0.015);
        var lungY = 0.47 + r.Normal(0, 0.025);
        var lungDx = 0.175 + r.Normal(0, 0.015);
        var lungA = 0.125 + r.Normal(0, 0.012);
        var lungB = 0.27 + r.Normal(0, 0.025);
        var tissue = 0.5 + r.Normal(0, 0.05);
        var lungDark = 0.3 + r.Normal(0, 0.04);
        var ribAmp = 0.07 + r.Normal(0, 0.02);
        var ribSpacing = 0.055 + r.Normal(0, 0.005);
        var ribCurve = 1.4 + r.Normal(0, 0.2);
        var heartX = cx + 0.06 + r.Normal(0, 0.015);
        var heartA = 0.13 + r.Normal(0, 0.012);
        var heartB = 0.11 + r.Normal(0, 0.01);
        var diaphragm = lungY + lungB * (0.75 + r.Normal(0, 0.04));
        var left = (X: cx - lungDx, Y: lungY);
        var right = (X: cx + lungDx, Y: lungY);

        for (var py = 0; py < size; py++)
        {
            var v = (py + 0.5) / size;
            for (var px = 0; px < size; px++)
            {
                var u = (px + 0.5) / size;
                var value = 0.04 + tissue * Soft(Ellipse(u, v, cx, 0.6, 0.43, 0.62), 0.04);
                // Lungs: darker air-filled fields, cut off below by the diaphragm dome.
                var dome = diaphragm - 0.6 * (u - cx) * (u - cx);
                var inLung = Math.Max(Soft(Ellipse(u, v, left.X, left.Y, lungA, lungB), 0.08),
                                      Soft(Ellipse(u, v, right.X, right.Y, lungA, lungB), 0.08)) * Soft((v - dome) / 0.02 + 1, 1);
                value -= lungDark * inLung;
                // Ribs: curved bright bands over the chest.
                var phase = (v - ribCurve * (u - cx) * (u - cx) * 0.5 - 0.2) / ribSpacing;
                if (phase is > 0 and < 10 && Math.Abs(u - cx) > 0.03)
                {
                    var f = (phase - Math.Round(phase)) * ribSpacing / 0.01;
                    value += ribAmp * Math.Exp(-f * f) * Soft(Ellipse(u, v, cx, 0.55, 0.4, 0.5), 0.05);
                }
                // Spine and mediastinum, heart shadow.
                value += 0.22 * Math.Exp(-Math.Pow((u - cx) / 0.035, 2)) * Soft(Ellipse(u, v, cx, 0.55, 0.5, 0.55), 0.05);
                value += 0.2 * Soft(Ellipse(u, v, heartX, diaphragm - heartB * 0.6, heartA, heartB), 0.1);
                img[py * size + px] = (float)value;
            }
        }

        // Faint blobs in every class (vessels, overlapping tissue), so a single bright spot is not the answer.
        for (var k = r.Int(2, 5); k > 0; k--)
        {
            var (bx, by) = PointInLung(r, r.Next() < 0.5 ? left : right, lungA, lungB);
            AddBlob(img, size, bx, by, r.Uniform(0.015, 0.035), r.Uniform(0.02, 0.07));
        }

        switch (className)
        {
            case "PNEUMONIA":
            {
                // Dense focal consolidation: a cluster of overlapping blobs in the middle or lower zone of one lung.
                var lung = r.Next() < 0.5 ? left : right;
                var (fx, fy) = (lung.X + r.Normal(0, lungA * 0.3), lung.Y + lungB * r.Uniform(-0.1, 0.5));
                var amp = r.Uniform(0.22, 0.4);
                for (var k = r.Int(2, 5); k > 0; k--)
                    AddBlob(img, size, fx + r.Normal(0, 0.03), fy + r.Normal(0, 0.03), r.Uniform(0.03, 0.06), amp * r.Uniform(0.6, 1.0));
                break;
            }
            case "COVID19":
            {
                // Bilateral, peripheral ground-glass: many faint, wide patches along the outer edge of both lungs.
                foreach (var (lung, side) in new[] { (left, -1.0), (right, 1.0) })
                    for (var k = r.Int(4, 8); k > 0; k--)
                        AddBlob(img, size, lung.X + side * lungA * r.Uniform(0.5, 0.9), lung.Y + lungB * r.Uniform(-0.5, 0.6),
                            r.Uniform(0.03, 0.06), r.Uniform(0.08, 0.15));
                break;
            }
        }

        // Exposure, contrast and quantum noise differ between machines and patients.
        var contrast = r.Uniform(0.8, 1.2);
        var brightness = r.Normal(0, 0.05);
        var noise = r.Uniform(0.015, 0.05);
        var image = new PixelImage(size, size, 1);
        for (var i = 0; i < img.Length; i++)
            image.Data[i] = (byte)Math.Clamp(Math.Round(((img[i] - 0.4) * contrast + 0.4 + brightness + r.Normal(0, noise)) * 255), 0, 255);
        return image;
    }

    private static double Ellipse(double u, double v, double x, double y, double a, double b)
    {
        var du = (u - x) / a;
        var dv = (v - y) / b;
        return Math.Sqrt(du * du + dv * dv);
    }

    // 1 inside (d < 1), 0 outside, with a soft edge `width` wide.
    private static double Soft(double d, double width) => 1 / (1 + Math.Exp((d - 1) / width));

    private static (double X, double Y) PointInLung(Rng r, (double X, double Y) lung, double a, double b)
    {
        var angle = r.Uniform(0, 2 * Math.PI);
        var radius = Math.Sqrt(r.Next()) * 0.8;
        return (lung.X + a * radius * Math.Cos(angle), lung.Y + b * radius * Math.Sin(angle));
    }

    private static void AddBlob(float[] img, int size, double x, double y, double sigma, double amplitude)
    {
        var reach = 3 * sigma;
        int x0 = Math.Max(0, (int)((x - reach) * size)), x1 = Math.Min(size - 1, (int)((x + reach) * size));
        int y0 = Math.Max(0, (int)((y - reach) * size)), y1 = Math.Min(size - 1, (int)((y + reach) * size));
        for (var py = y0; py <= y1; py++)
            for (var px = x0; px <= x1; px++)
            {
                double du = (px + 0.5) / size - x, dv = (py + 0.5) / size - y;
                img[py * size + px] += (float)(amplitude * Math.Exp(-(du * du + dv * dv) / (2 * sigma * sigma)));
            }
    }

    private static string Readme(SyntheticOptions o, List<(string Name, int PerClass)> splits,
        Dictionary<string, IReadOnlyDictionary<string, int>> counts)
    {
        var text = new StringBuilder();
        text.AppendLine("SYNTHETIC DATA - NOT REAL CHEST X-RAYS");
        text.AppendLine();
        text.AppendLine("These images were drawn by XRayNotebooks' generator (lib/XRay/Synthetic) so that the tutorials run");
        text.AppendLine("without a Kaggle account or a network. They imitate the layout of the Kaggle datasets only:");
        text.AppendLine("lungs, ribs, heart and noise vary per image; PNEUMONIA adds a focal consolidation in one lung,");
        text.AppendLine("COVID19 a faint bilateral peripheral haze. Nothing learned here says anything about real patients.");
        text.AppendLine();
        text.AppendLine($"classes: {string.Join(", ", o.ClassNames)}");
        text.AppendLine($"size: {o.Size}x{o.Size} gray JPEG (quality {o.JpegQuality}), seed: {o.Seed}");
        foreach (var (name, n) in splits)
            text.AppendLine(o.Ratios is null ? $"{name}: {n} per class"
                : $"{name}: {string.Join(", ", counts[name].Select(kv => $"{kv.Key} {kv.Value}"))} (ratios {RatioText(o.Ratios)})");
        text.AppendLine($"regenerate: xray data synthetic --out DIR --classes {o.Classes} --per-class {o.PerClass} --size {o.Size} --seed {o.Seed}" +
                        (o.Ratios is null ? "" : $" --ratios {RatioText(o.Ratios)}"));
        return text.ToString().Replace("\r\n", "\n");
    }

    private static string RatioText(IReadOnlyList<double> ratios) =>
        string.Join(":", ratios.Select(r => r.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Gaussian and uniform draws over System.Random (Box-Muller keeps it reproducible).</summary>
    private sealed class Rng(Random random)
    {
        public double Next() => random.NextDouble();

        public double Uniform(double a, double b) => a + (b - a) * random.NextDouble();

        public int Int(int min, int maxInclusive) => random.Next(min, maxInclusive + 1);

        public double Normal(double mean, double sd)
        {
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            return mean + sd * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }
    }
}
