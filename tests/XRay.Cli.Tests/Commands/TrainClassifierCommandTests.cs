using System.Globalization;
using System.Text.Json;
using XRay.Classic;

namespace XRay.Cli.Tests.Commands;

public class TrainClassifierCommandTests
{
    private static readonly Lazy<(string Output, string Cache, string Stdout)> Trained = new(() =>
    {
        var run = TrainedSyntheticRun.Instance;
        var (output, cache) = (TestFiles.TempFolder(), TestFiles.TempFolder());
        var (code, stdout, error) = CliRunner.Run("train-classifier", "--checkpoint", run.Checkpoint, "--data", run.Data, "--algorithm", "linear",
            "--out", output, "--feature-cache", cache, "--device", "cpu");
        Assert.True(code == 0, error);
        return (output, cache, stdout);
    });

    [Fact]
    public void Writes_the_model_its_extractor_and_report_from_a_checkpoints_features()
    {
        var (output, _, stdout) = Trained.Value;

        foreach (var file in new[] { ClassicModel.ModelFileName, ClassicModel.ExtractorFileName, ClassicModel.InfoFileName, "report.txt", "runs.sqlite" })
            Assert.True(File.Exists(Path.Combine(output, file)), $"{file} is missing");
        // 20 train images per class, 4 of them held out for validation by the CNN's seed: features of 48 + 12 images.
        Assert.Contains("train: 48 images, 1152 features each (extracted", stdout);
        Assert.Contains("val: 12 images, 1152 features each (extracted", stdout);
        Assert.Contains("              precision    recall  f1-score   support", stdout);
        Assert.Contains(File.ReadAllText(Path.Combine(output, "report.txt")), stdout);
        Assert.Contains("Validation:", stdout);
    }

    [Fact]
    public void A_second_run_reads_the_cached_features()
    {
        var run = TrainedSyntheticRun.Instance;
        var (_, cache, _) = Trained.Value;

        var (code, stdout, error) = CliRunner.Run("train-classifier", "--checkpoint", run.Checkpoint, "--data", run.Data, "--algorithm", "fasttree",
            "--min-leaf", "3", "--iterations", "20", "--out", TestFiles.TempFolder(), "--feature-cache", cache, "--device", "cpu");

        Assert.True(code == 0, error);
        Assert.Contains("train: 48 images, 1152 features each (from the cache", stdout);
        Assert.Contains("val: 12 images, 1152 features each (from the cache", stdout);
    }

    [Fact]
    public void Evaluate_json_for_a_classifier_has_exactly_the_cnns_shape()
    {
        var run = TrainedSyntheticRun.Instance;
        var (output, _, _) = Trained.Value;

        var cnn = CliRunner.Run("evaluate", "--checkpoint", run.Checkpoint, "--data", run.Data, "--json", "--out", TestFiles.TempFolder());
        var classic = CliRunner.Run("evaluate", "--checkpoint", output, "--data", run.Data, "--json", "--out", TestFiles.TempFolder());
        var viaZip = CliRunner.Run("evaluate", "--checkpoint", Path.Combine(output, ClassicModel.ModelFileName), "--data", run.Data, "--json");

        Assert.True(cnn.Code == 0, cnn.Err);
        Assert.True(classic.Code == 0, classic.Err);
        Assert.True(viaZip.Code == 0, viaZip.Err);
        using var a = JsonDocument.Parse(cnn.Out);
        using var b = JsonDocument.Parse(classic.Out);
        Assert.Equal(Shape(a.RootElement), Shape(b.RootElement));
        Assert.Equal(classic.Out, viaZip.Out);
        var matrix = b.RootElement.GetProperty("confusion_matrix").EnumerateArray().Select(r => r.EnumerateArray().Sum(v => v.GetInt32())).ToArray();
        Assert.Equal(new[] { 5, 5, 5 }, matrix); // every test image, rows are true labels
        Assert.True(File.Exists(Path.Combine(output, "predictions.csv"))); // no --out: beside the model, as for a checkpoint
    }

    [Fact]
    public void Predict_with_a_classifier_gives_evaluates_answers()
    {
        var run = TrainedSyntheticRun.Instance;
        var (output, _, _) = Trained.Value;
        var images = Directory.GetFiles(Path.Combine(run.Data, "test"), "*.jpg", SearchOption.AllDirectories).Order().Take(3).ToArray();
        var evaluated = TestFiles.TempFolder();
        Assert.Equal(0, CliRunner.Run("evaluate", "--checkpoint", output, "--data", run.Data, "--out", evaluated).Code);
        var expected = File.ReadAllLines(Path.Combine(evaluated, "predictions.csv")).Skip(1).Select(l => l.Split(','))
            .ToDictionary(r => r[0], r => (Pred: r[2], P: r[3..].Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray()));

        var (code, stdout, error) = CliRunner.Run(new[] { "predict", "--checkpoint", output }.Concat(images).ToArray());

        Assert.True(code == 0, error);
        var lines = stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(3, lines.Length);
        for (var i = 0; i < 3; i++)
        {
            var fields = lines[i].Split('\t');
            Assert.Equal(images[i], fields[0]);
            Assert.Equal(expected[images[i]].Pred, fields[1]);
            var p = fields[2..].Select(f => double.Parse(f.Split('=')[1], CultureInfo.InvariantCulture)).ToArray();
            for (var k = 0; k < 3; k++) Assert.Equal(expected[images[i]].P[k], p[k], 1e-3);
        }
    }

    [Fact]
    public void An_architectures_features_train_too()
    {
        var run = TrainedSyntheticRun.Instance;
        var output = TestFiles.TempFolder();

        var (code, stdout, error) = CliRunner.Run("train-classifier", "--arch", "mobilenet-v2", "--size", "32", "--data", run.Data, "--algorithm", "lightgbm",
            "--iterations", "10", "--min-leaf", "3", "--out", output, "--feature-cache", TestFiles.TempFolder(), "--device", "cpu");

        Assert.True(code == 0, error);
        Assert.Contains("1280 features each", stdout);
        Assert.Contains("untrained (seed 42)", File.ReadAllText(Path.Combine(output, ClassicModel.InfoFileName)));
        Assert.Equal(0, CliRunner.Run("evaluate", "--checkpoint", output, "--data", run.Data, "--out", TestFiles.TempFolder()).Code);
    }

    [Fact]
    public void Imagenet_features_of_the_offline_resnet_train_with_their_input_recorded()
    {
        var run = TrainedSyntheticRun.Instance;
        var output = TestFiles.TempFolder();

        var (code, stdout, error) = CliRunner.Run("train-classifier", "--arch", "resnet18-mlnet", "--weights", "imagenet", "--size", "64", "--data", run.Data,
            "--algorithm", "linear", "--out", output, "--feature-cache", TestFiles.TempFolder(), "--device", "cpu");

        Assert.True(code == 0, error);
        Assert.Contains("512 features each", stdout);
        Assert.Contains("resnet18-mlnet with resnet18-mlnet.imagenet", File.ReadAllText(Path.Combine(output, ClassicModel.InfoFileName)));
        var evaluated = CliRunner.Run("evaluate", "--checkpoint", output, "--data", run.Data, "--out", TestFiles.TempFolder());
        Assert.True(evaluated.Code == 0, evaluated.Err);
    }

    [Fact]
    public void Bad_input_is_refused_with_one_clear_line()
    {
        var run = TrainedSyntheticRun.Instance;
        var output = TestFiles.TempFolder();

        Assert.Contains("either --checkpoint", CliRunner.AssertRefused("train-classifier", "--data", run.Data, "--out", output));
        Assert.Contains("either --checkpoint", CliRunner.AssertRefused("train-classifier", "--checkpoint", run.Checkpoint, "--arch", "blog-cnn", "--data", run.Data, "--out", output));
        Assert.Contains("--algorithm", CliRunner.AssertRefused("train-classifier", "--checkpoint", run.Checkpoint, "--data", run.Data, "--out", output, "--algorithm", "svm"));
        Assert.Contains("no convolutional feature extractor", CliRunner.AssertRefused("train-classifier", "--arch", "mlp", "--data", run.Data, "--out", output));
        Assert.Contains("No checkpoint at", CliRunner.AssertRefused("train-classifier", "--checkpoint", "/nonexistent/c.pt", "--data", run.Data, "--out", output));
    }

    /// <summary>Keys, nesting and kinds of values: what a consumer of `--json` relies on.</summary>
    private static string Shape(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "{" + string.Join(",", e.EnumerateObject().Select(p => $"{p.Name}:{Shape(p.Value)}")) + "}",
        JsonValueKind.Array => "[" + string.Join(",", e.EnumerateArray().Select(Shape)) + "]",
        JsonValueKind.Number or JsonValueKind.Null => "number",
        _ => e.ValueKind.ToString(),
    };
}
