using System.Globalization;
using System.Text.Json;
using XRay.Metrics;

namespace XRay.Tests.Metrics;

/// <summary>
/// Fixed, seeded predictions for the parity tests (three classes, some ties, some mistakes), and a way to hand them to
/// the Python references exactly: each probability's float value goes over as JSON and is read back as float64.
/// </summary>
internal static class ReferenceScores
{
    /// <summary><paramref name="n"/> images; logits scaled by <paramref name="sharpness"/> (large: over-confident).</summary>
    public static Predictions Make(int n = 240, double sharpness = 3, int seed = 11)
    {
        var random = new Random(seed);
        var (labels, probabilities) = (new int[n], new float[n][]);
        for (var i = 0; i < n; i++)
        {
            labels[i] = random.Next(3);
            // A noisy signal: the true class's logit is higher on average, so accuracy is well above chance but not 1.
            var logits = Enumerable.Range(0, 3).Select(k => sharpness * (Normal(random) + (k == labels[i] ? 0.8 : 0))).ToArray();
            if (i % 17 == 0) logits[1] = logits[2]; // tied classes in one row, as saturated outputs give
            var max = logits.Max();
            var e = logits.Select(z => Math.Exp(z - max)).ToArray();
            probabilities[i] = e.Select(v => (float)(v / e.Sum())).ToArray();
            if (i % 13 == 5) probabilities[i] = (float[])probabilities[i - 1].Clone(); // the same scores on two images
        }
        var predicted = probabilities.Select(p => XRay.Models.Inference.ArgMax(p)).ToArray();
        return new Predictions(new[] { "NORMAL", "COVID19", "PNEUMONIA" }, new string[n], labels, predicted, probabilities);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>A JSON file {"y": labels, "p": rows} for a Python script's sys.argv[1].</summary>
    public static string File(Predictions predictions, object? extra = null)
    {
        var path = Path.Combine(TestFiles.TempFolder(), "scores.json");
        var document = new Dictionary<string, object?>
        {
            ["y"] = predictions.Labels,
            ["p"] = predictions.Probabilities.Select(r => r.Select(v => (double)v).ToArray()).ToArray(),
            ["extra"] = extra,
        };
        System.IO.File.WriteAllText(path, JsonSerializer.Serialize(document));
        return path;
    }

    /// <summary>Python's printed numbers (repr of float64, space- or newline-separated).</summary>
    public static double[] Numbers(string printed) =>
        printed.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)
            .Select(v => v == "nan" ? double.NaN : double.Parse(v, CultureInfo.InvariantCulture)).ToArray();

    public const string Load = "import sys, json\nimport numpy as np\nd = json.load(open(sys.argv[1]))\ny = np.array(d['y']); P = np.array(d['p'], dtype=np.float64)\n";
}
