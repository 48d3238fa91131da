using XRay.Metrics;
using XRay.Models;
using XRay.TestSupport;
using static TorchSharp.torch;

namespace XRay.Tests.Metrics;

public class TemperatureScalingTests
{
    private const string ScipyFit = """
        from scipy.optimize import minimize_scalar
        from scipy.special import logsumexp
        L = np.log(P)
        def nll(t):
            z = L / t
            return np.mean(logsumexp(z, axis=1) - z[np.arange(len(y)), y])
        r = minimize_scalar(nll, bounds=(0.01, 100), method='bounded', options={'xatol': 1e-10})
        print(repr(r.x), repr(nll(1.0)), repr(r.fun))
        """;

    /// <summary>T against scipy's bounded minimizer of the same NLL, for an over-confident model (T &gt; 1) and an under-confident one (T &lt; 1).</summary>
    [Theory]
    [InlineData(4.0)]
    [InlineData(0.4)]
    [Trait("Category", TestCategories.Parity)]
    public void Temperature_matches_scipys_minimizer(double sharpness)
    {
        var predictions = ReferenceScores.Make(sharpness: sharpness, seed: 23);
        var t = TemperatureScaling.Fit(predictions);
        var expected = ReferenceScores.Numbers(PythonReference.Run(ReferenceScores.Load + ScipyFit, ReferenceScores.File(predictions)));

        Assert.Equal(expected[0], t, 1e-6 * expected[0]);
        Assert.True(sharpness > 1 ? t > 1.2 : t < 0.8, $"T = {t} for sharpness {sharpness}"); // the fixture needs calibrating
        var fit = TemperatureScaling.Calibrate(predictions);
        Assert.Equal(expected[1], fit.NllBefore, 1e-9);  // log_loss and scipy's NLL agree on probabilities away from 0
        Assert.Equal(expected[2], fit.NllAfter, 1e-9);
        Assert.True(fit.EceAfter < fit.EceBefore, $"ECE {fit.EceBefore} -> {fit.EceAfter}");
    }

    [Fact]
    public void Temperature_never_changes_the_predicted_class()
    {
        var predictions = ReferenceScores.Make(sharpness: 5);
        foreach (var t in new[] { 0.05, 0.5, 2.0, 40.0 })
        {
            var scaled = TemperatureScaling.Apply(predictions, t);
            Assert.Equal(predictions.Predicted, scaled.Predicted);
            Assert.Equal(predictions.Predicted, scaled.Probabilities.Select(p => Inference.ArgMax(p)).ToArray());
            Assert.All(scaled.Probabilities, p => Assert.Equal(1.0, p.Sum(v => (double)v), 5));
        }
    }

    /// <summary>Scaling stored probabilities (calibrate's fit) equals dividing the logits (what inference does), as scipy's softmax(z / T).</summary>
    [Fact]
    [Trait("Category", TestCategories.Parity)]
    public void Scaling_probabilities_equals_dividing_the_logits()
    {
        var z = new[] { new[] { 2.5f, -1f, 0.3f }, new[] { -4f, 6f, 1f }, new[] { 0f, 0f, 0.1f } };
        using var logits = tensor(z.SelectMany(r => r).ToArray(), 3, 3);
        const double t = 1.7;
        var viaLogits = Inference.Rows(logits, t);
        var viaProbabilities = Inference.Rows(logits).Select(p => TemperatureScaling.Apply(p.Select(v => (double)v).ToArray(), t)).ToArray();
        var scipy = ReferenceScores.Numbers(PythonReference.Run(
            "import sys, json\nimport numpy as np\nfrom scipy.special import softmax\n" +
            "print(' '.join(repr(v) for v in softmax(np.array(json.loads(sys.argv[1])) / 1.7, axis=1).ravel()))",
            System.Text.Json.JsonSerializer.Serialize(z)));
        for (var i = 0; i < 9; i++)
        {
            Assert.Equal(scipy[i], viaLogits[i / 3][i % 3], 6);
            Assert.Equal(scipy[i], viaProbabilities[i / 3][i % 3], 6);
        }
    }

    /// <summary>A sigmoid unit's [1 − p, p] scales to sigmoid(z / T).</summary>
    [Fact]
    public void A_sigmoid_unit_scales_to_sigmoid_of_z_over_t()
    {
        using var logits = tensor(new[] { 1.5f, -3f }, 2, 1);
        var rows = Inference.Rows(logits, 2.0);
        Assert.Equal(1 / (1 + Math.Exp(-0.75)), rows[0][1], 6);
        Assert.Equal(1 / (1 + Math.Exp(1.5)), rows[1][1], 6);
    }

    [Fact]
    public void When_every_image_is_right_the_fit_stops_at_the_lower_bound()
    {
        var t = TemperatureScaling.Fit(new[] { 0, 1 }, new[] { new[] { 0.9, 0.1 }, new[] { 0.2, 0.8 } });
        Assert.Equal(TemperatureScaling.MinTemperature, t);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_temperature_must_be_positive(double t)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => TemperatureScaling.Check(t));
        Assert.Contains("positive number", e.Message);
        Assert.Throws<ArgumentException>(() => TemperatureScaling.Fit(Array.Empty<int>(), Array.Empty<double[]>()));
    }
}
