using Xunit.Abstractions;
using XRay.Classic;
using XRay.Metrics;

namespace XRay.Tests.Classic;

public class ClassicClassifierTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Algorithms() => Enum.GetValues<ClassicAlgorithm>().Select(a => new object[] { a });

    private static ClassicOptions Options(ClassicAlgorithm algorithm) =>
        new() { Algorithm = algorithm, Iterations = 50, Seed = 7, MinimumExamplesPerLeaf = 5 };

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Each_algorithm_beats_chance_clearly_on_held_out_images(ClassicAlgorithm algorithm)
    {
        var features = SyntheticFeatures.Instance;
        var classifier = ClassicClassifier.Train(features.Train, Options(algorithm));

        var test = Evaluation.From(classifier.Predict(features.Test));

        var auc = RocCurve.MacroAuc(test.RocCurves);
        output.WriteLine($"{algorithm}: test accuracy {test.Accuracy:0.000}, macro AUC {auc:0.000} on {test.Predictions.Count} images " +
                         $"({features.Train.Count} training vectors of {features.Train.Dimension})");
        Assert.Equal(45, test.Predictions.Count);
        Assert.True(test.Accuracy >= 0.6, $"{algorithm}: test accuracy {test.Accuracy:0.000}, chance is 0.333");
        Assert.True(auc >= 0.75, $"{algorithm}: macro AUC {auc:0.000}, chance is 0.5");
        Assert.All(test.Predictions.Probabilities, p => Assert.Equal(1.0, p.Sum(), 4));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void The_same_seed_gives_the_same_model_and_report_and_the_saved_model_predicts_the_same(ClassicAlgorithm algorithm)
    {
        var features = SyntheticFeatures.Instance;
        var a = ClassicClassifier.Train(features.Train, Options(algorithm));
        var b = ClassicClassifier.Train(features.Train, Options(algorithm));
        var file = Path.Combine(TestFiles.TempFolder(), "model.zip");
        a.Save(file);
        var loaded = ClassicClassifier.Load(file, a.ClassNames, a.Dimension);

        var pa = a.Probabilities(features.Val.Rows);
        Assert.Equal(pa, b.Probabilities(features.Val.Rows));
        Assert.Equal(pa, loaded.Probabilities(features.Val.Rows));
        Assert.Equal(Evaluation.From(a.Predict(features.Test)).ToJson(), Evaluation.From(b.Predict(features.Test)).ToJson());
    }

    [Fact]
    [Trait("Category", TestCategories.Slow)]
    public void FastTree_grows_the_same_trees_on_one_thread_and_on_several_so_it_defaults_to_every_core()
    {
        var features = SyntheticFeatures.Instance;
        var fastTree = Options(ClassicAlgorithm.FastTree);
        var one = ClassicClassifier.Train(features.Train, fastTree with { Threads = 1 });
        var several = ClassicClassifier.Train(features.Train, fastTree with { Threads = 3 });

        Assert.Equal(one.Probabilities(features.Val.Rows), several.Probabilities(features.Val.Rows));
        Assert.Equal(Environment.ProcessorCount, fastTree.ThreadsUsed);
        Assert.Equal(1, Options(ClassicAlgorithm.LightGbm).ThreadsUsed);
        Assert.Equal(1, Options(ClassicAlgorithm.Linear).ThreadsUsed);
        Assert.Equal(2, (fastTree with { Threads = 2 }).ThreadsUsed);
        Assert.Contains("Threads must be positive, got 0",
            Assert.Throws<ArgumentException>(() => ClassicClassifier.Train(features.Train, fastTree with { Threads = 0 })).Message);
    }

    [Fact]
    public void Vectors_of_another_length_are_refused()
    {
        var features = SyntheticFeatures.Instance;
        var classifier = ClassicClassifier.Train(features.Train, Options(ClassicAlgorithm.Linear));

        Assert.Contains($"takes {features.Train.Dimension} features per image, got 3",
            Assert.Throws<ArgumentException>(() => classifier.Probabilities(new[] { new float[3] })).Message);
    }
}
