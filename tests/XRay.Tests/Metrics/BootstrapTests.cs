using XRay.Metrics;
using XRay.TestSupport;

namespace XRay.Tests.Metrics;

public class BootstrapTests
{
    [Fact]
    public void The_same_seed_gives_the_same_interval_and_another_seed_another()
    {
        var predictions = ReferenceScores.Make(n: 150);
        var a = Bootstrap.Intervals(predictions, new BootstrapOptions { Seed = 1 });
        var b = Bootstrap.Intervals(predictions, new BootstrapOptions { Seed = 1 });
        var c = Bootstrap.Intervals(predictions, new BootstrapOptions { Seed = 2 });

        Assert.Equal(a.Accuracy, b.Accuracy);
        Assert.Equal(a.MacroF1, b.MacroF1);
        Assert.Equal(a.Recall, b.Recall);
        Assert.NotEqual(a.Accuracy, c.Accuracy);
        Assert.NotEqual(a.Recall["COVID19"], c.Recall["COVID19"]);
        var accuracy = new ClassificationReport(new ConfusionMatrix(predictions.Labels, predictions.Predicted, 3)).Accuracy;
        Assert.InRange(accuracy, a.Accuracy.Lower, a.Accuracy.Upper);
        Assert.True(a.Accuracy.Upper - a.Accuracy.Lower is > 0.05 and < 0.3, $"{a.Accuracy}"); // about ±2 standard errors on 150 images
    }

    /// <summary>On the same resamples, the intervals equal numpy's percentiles of scikit-learn's metrics.</summary>
    [Fact]
    [Trait("Category", TestCategories.Parity)]
    public void Intervals_equal_numpy_percentiles_of_scikit_learn_metrics_on_the_same_resamples()
    {
        var predictions = ReferenceScores.Make(n: 60);
        var options = new BootstrapOptions { Resamples = 300, Seed = 9 };
        var ours = Bootstrap.Intervals(predictions, options);
        var draws = Bootstrap.Indices(predictions.Count, options.Resamples, options.Seed).ToArray();
        var printed = PythonReference.Run(ReferenceScores.Load + """
            from sklearn.metrics import accuracy_score, f1_score, recall_score
            pred = np.array(d['extra']['pred']); acc, f1, rec = [], [], [[], [], []]
            for idx in d['extra']['draws']:
                t, p = y[idx], pred[idx]
                acc.append(accuracy_score(t, p)); f1.append(f1_score(t, p, labels=[0, 1, 2], average='macro', zero_division=0))
                for c in range(3):
                    if (t == c).any(): rec[c].append(recall_score(t, p, labels=[c], average='macro'))
            for v in [acc, f1] + rec: print(repr(np.percentile(v, 2.5)), repr(np.percentile(v, 97.5)))
            """, ReferenceScores.File(predictions, new { pred = predictions.Predicted, draws }));
        var expected = ReferenceScores.Numbers(printed);
        var actual = new[] { ours.Accuracy, ours.MacroF1, ours.Recall["NORMAL"], ours.Recall["COVID19"], ours.Recall["PNEUMONIA"] }
            .SelectMany(i => new[] { i.Lower, i.Upper }).ToArray();
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 12);
    }

    [Fact]
    [Trait("Category", TestCategories.Parity)]
    public void Percentile_interpolates_as_numpy()
    {
        var random = new Random(5);
        var values = Enumerable.Range(0, 37).Select(_ => random.NextDouble()).ToArray();
        var qs = new[] { 0, 2.5, 25, 50, 97.5, 100 };
        var expected = ReferenceScores.Numbers(PythonReference.Run(
            "import sys, json\nimport numpy as np\nv = json.loads(sys.argv[1])\nprint(' '.join(repr(np.percentile(v, q)) for q in [0, 2.5, 25, 50, 97.5, 100]))",
            System.Text.Json.JsonSerializer.Serialize(values)));
        for (var i = 0; i < qs.Length; i++) Assert.Equal(expected[i], Bootstrap.Percentile(values, qs[i]), 15);
    }

    [Fact]
    public void Bad_options_are_refused_with_the_option_named()
    {
        var predictions = ReferenceScores.Make(n: 10);
        var e = Assert.Throws<ArgumentException>(() => Bootstrap.Intervals(predictions, new BootstrapOptions { Resamples = 0 }));
        Assert.Contains("--bootstrap must be at least 1", e.Message);
        Assert.Throws<ArgumentException>(() => Bootstrap.Intervals(predictions, new BootstrapOptions { Level = 1.5 }));
    }
}
