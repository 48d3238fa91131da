using System.Globalization;
using XRay.Imaging;
using XRay.TestSupport;

namespace XRay.Tests.Imaging;

/// <summary>
/// Decoding and resizing equal Debian's Python cv2 (4.6) on the same files, byte for byte. cv2 gives BGR, ours RGB,
/// so channel c of ours is compared with channel 2 - c of cv2's.
/// </summary>
[Trait("Category", TestCategories.Parity)]
public class CvParityTests
{
    // Writes every case's pixels to OUT/<case>.raw and prints "<case> <h> <w> <c>" per case.
    private const string Script = """
        import sys, cv2
        path, out = sys.argv[1], sys.argv[2]
        for mode, flag in (("gray", cv2.IMREAD_GRAYSCALE), ("color", cv2.IMREAD_COLOR)):
            img = cv2.imread(path, flag)
            cases = {mode: img}
            for name, inter in (("area", cv2.INTER_AREA), ("linear", cv2.INTER_LINEAR)):
                cases[f"{mode}-shrink-{name}"] = cv2.resize(img, (45, 38), interpolation=inter)
                cases[f"{mode}-enlarge-{name}"] = cv2.resize(img, (157, 203), interpolation=inter)
            for case, a in cases.items():
                open(f"{out}/{case}.raw", "wb").write(a.tobytes())
                print(case, a.shape[0], a.shape[1], a.shape[2] if a.ndim == 3 else 1)
        """;

    /// <summary>A 131x97 picture with smooth gradients, sharp shapes and noise, each channel different.</summary>
    private static PixelImage Picture(int channels, int seed)
    {
        var random = new Random(seed);
        var mat = new PixelImage(131, 97, channels);
        for (var y = 0; y < mat.Rows; y++)
            for (var x = 0; x < mat.Cols; x++)
                for (var c = 0; c < channels; c++)
                {
                    var inDisc = (x - 40) * (x - 40) + (y - 70) * (y - 70) < 900;
                    var v = (x * (c + 1) * 2 + y * (3 - c)) % 256 * 0.6 + (inDisc ? 80 + 30 * c : 0) + random.Next(-12, 13);
                    mat[y, x, c] = (byte)Math.Clamp(v, 0, 255);
                }
        return mat;
    }

    private static Dictionary<string, PixelImage> Reference(string file, string folder)
    {
        var printed = PythonReference.Run(Script, file, folder);
        var result = new Dictionary<string, PixelImage>();
        foreach (var line in printed.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.Split(' ');
            var (h, w, c) = (int.Parse(f[1], CultureInfo.InvariantCulture), int.Parse(f[2], CultureInfo.InvariantCulture),
                int.Parse(f[3], CultureInfo.InvariantCulture));
            result[f[0]] = new PixelImage(h, w, c, File.ReadAllBytes(Path.Combine(folder, f[0] + ".raw")));
        }
        return result;
    }

    private static void AssertEqualToBgr(PixelImage bgr, PixelImage ours, string what)
    {
        Assert.Equal((bgr.Rows, bgr.Cols, bgr.Channels), (ours.Rows, ours.Cols, ours.Channels));
        var worst = 0;
        for (var y = 0; y < ours.Rows; y++)
            for (var x = 0; x < ours.Cols; x++)
                for (var c = 0; c < ours.Channels; c++)
                    worst = Math.Max(worst, Math.Abs(ours[y, x, c] - bgr[y, x, ours.Channels == 3 ? 2 - c : c]));
        Assert.True(worst == 0, $"{what}: max |ours - cv2| = {worst}");
    }

    [Theory]
    [InlineData("color.jpg", 3)]
    [InlineData("color.png", 3)]
    [InlineData("gray.jpg", 1)]
    [InlineData("gray.png", 1)]
    public void Decode_and_resize_equal_python_cv2(string name, int fileChannels)
    {
        var folder = TestFiles.TempFolder();
        try
        {
            var picture = Picture(fileChannels, seed: name.Length);
            var bytes = name.EndsWith(".jpg", StringComparison.Ordinal) ? Cv.ImEncodeJpeg(picture, 90) : Cv.ImEncodePng(picture);
            var file = Path.Combine(folder, name);
            File.WriteAllBytes(file, bytes);
            var expected = Reference(file, folder);
            Assert.Equal(10, expected.Count);
            foreach (var (mode, channels) in new[] { ("gray", 1), ("color", 3) })
            {
                var decoded = Cv.ImDecode(bytes, channels);
                AssertEqualToBgr(expected[mode], decoded, $"{name} {mode} decode");
                foreach (var (size, w, h) in new[] { ("shrink", 45, 38), ("enlarge", 157, 203) })
                    foreach (var (interName, inter) in new[] { ("area", Interpolation.Area), ("linear", Interpolation.Linear) })
                    {
                        var reference = expected[$"{mode}-{size}-{interName}"];
                        var what = $"{name} {mode} {size} {interName}";
                        AssertEqualToBgr(reference, Cv.Resize(decoded, w, h, inter), what + " resize");
                        var hwc = new byte[h * w * channels];
                        Cv.ImDecodeResize(bytes, hwc, h, w, channels, inter);
                        AssertEqualToBgr(reference, new PixelImage(h, w, channels, hwc), what + " ImDecodeResize");
                    }
                // Auto picks AREA to shrink and LINEAR to enlarge, as the native code did.
                AssertEqualToBgr(expected[$"{mode}-shrink-area"], Cv.Resize(decoded, 45, 38), $"{name} {mode} auto shrink");
                AssertEqualToBgr(expected[$"{mode}-enlarge-linear"], Cv.Resize(decoded, 157, 203), $"{name} {mode} auto enlarge");
            }
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    /// <summary>The Grad-CAM overlay's two steps: cv2.applyColorMap(gray, COLORMAP_JET) and cv2.addWeighted.</summary>
    [Fact]
    public void Color_map_and_weighted_blend_equal_python_cv2()
    {
        var folder = TestFiles.TempFolder();
        try
        {
            var gray = Picture(1, seed: 3);
            var color = Picture(3, seed: 4);
            File.WriteAllBytes(Path.Combine(folder, "gray.png"), Cv.ImEncodePng(gray));
            File.WriteAllBytes(Path.Combine(folder, "color.png"), Cv.ImEncodePng(color));
            PythonReference.Run("""
                import sys, cv2
                out = sys.argv[1]
                gray = cv2.imread(f"{out}/gray.png", cv2.IMREAD_GRAYSCALE)
                color = cv2.imread(f"{out}/color.png", cv2.IMREAD_COLOR)
                jet = cv2.applyColorMap(gray, cv2.COLORMAP_JET)
                open(f"{out}/jet.raw", "wb").write(jet.tobytes())
                open(f"{out}/blend.raw", "wb").write(cv2.addWeighted(color, 0.6, jet, 0.4, 0).tobytes())
                """, folder);
            var jet = Cv.ApplyColorMap(gray, ColorMap.Jet);
            AssertEqualToBgr(new PixelImage(gray.Rows, gray.Cols, 3, File.ReadAllBytes(Path.Combine(folder, "jet.raw"))), jet, "ApplyColorMap");
            AssertEqualToBgr(new PixelImage(gray.Rows, gray.Cols, 3, File.ReadAllBytes(Path.Combine(folder, "blend.raw"))),
                Cv.AddWeighted(color, 0.6, jet, 0.4), "AddWeighted");
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }
}
