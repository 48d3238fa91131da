using System.Globalization;
using System.Text.Json;

namespace XRay.Cli.Tests.Commands;

public class EvaluateCommandTests
{
    [Fact]
    public void Json_alone_on_stdout_with_the_issues_shape_and_a_matrix_over_every_test_image()
    {
        var run = TrainedSyntheticRun.Instance;
        var output = TestFiles.TempFolder();

        var (code, json, error) = CliRunner.Run("evaluate", "--checkpoint", run.Checkpoint, "--data", run.Data, "--json", "--out", output);

        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(json); // the whole of stdout
        var root = doc.RootElement;
        Assert.Equal(new[] { "COVID19", "NORMAL", "PNEUMONIA" }, root.GetProperty("classes").EnumerateArray().Select(c => c.GetString()));
        var matrix = root.GetProperty("confusion_matrix").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray();
        Assert.Equal(3, matrix.Length);
        Assert.All(matrix, row => Assert.Equal(3, row.Length));
        Assert.Equal(TrainedSyntheticRun.TestImages, matrix.Sum(r => r.Sum()));
        Assert.All(matrix, row => Assert.Equal(5, row.Sum())); // rows are true labels: 5 test images per class
        Assert.Equal((matrix[0][0] + matrix[1][1] + matrix[2][2]) / (double)TrainedSyntheticRun.TestImages, root.GetProperty("accuracy").GetDouble(), 9);
        var report = root.GetProperty("report");
        Assert.Equal(5, report.GetProperty("NORMAL").GetProperty("support").GetInt32());
        Assert.True(report.TryGetProperty("macro avg", out _));

        var csv = File.ReadAllLines(Path.Combine(output, "predictions.csv"));
        Assert.Equal("path,true,pred,p_COVID19,p_NORMAL,p_PNEUMONIA", csv[0]);
        Assert.Equal(TrainedSyntheticRun.TestImages + 1, csv.Length);
        foreach (var row in csv.Skip(1).Select(l => l.Split(',')))
            Assert.Equal(1.0, row.Skip(3).Sum(p => double.Parse(p, CultureInfo.InvariantCulture)), 4);
    }

    [Fact]
    public void Text_prints_the_report_and_matrix_and_writes_predictions_next_to_the_checkpoint()
    {
        var run = TrainedSyntheticRun.Instance;
        var csv = Path.Combine(run.Output, "predictions.csv");
        File.Delete(csv);

        var (code, text, error) = CliRunner.Run("evaluate", "--checkpoint", run.Checkpoint, "--data", run.Data, "--split", "val");

        Assert.True(code == 0, error);
        Assert.Contains("              precision    recall  f1-score   support", text);
        Assert.Contains("Confusion matrix (rows: true, columns: predicted; COVID19, NORMAL, PNEUMONIA):", text);
        // The held-out validation images of training (same seed): 4 per class.
        Assert.Equal(13, File.ReadAllLines(csv).Length);
    }

    [Fact]
    public void Bad_input_is_refused_with_one_clear_line()
    {
        var run = TrainedSyntheticRun.Instance;
        var truncated = Path.Combine(TestFiles.TempFolder(), "cut.pt");
        File.WriteAllBytes(truncated, File.ReadAllBytes(run.Checkpoint)[..(int)(new FileInfo(run.Checkpoint).Length / 2)]);
        var twoClasses = TestFiles.TempFolder();
        TestFiles.WriteJpeg(Path.Combine(twoClasses, "test", "NORMAL", "a.jpg"), 10);
        TestFiles.WriteJpeg(Path.Combine(twoClasses, "test", "PNEUMONIA", "b.jpg"), 200);

        Assert.Contains("No checkpoint at", CliRunner.AssertRefused("evaluate", "--checkpoint", "/nonexistent/c.pt", "--data", run.Data));
        Assert.Contains("cannot be used", CliRunner.AssertRefused("evaluate", "--checkpoint", truncated, "--data", run.Data));
        Assert.Contains("Unknown split 'holdout'", CliRunner.AssertRefused("evaluate", "--checkpoint", run.Checkpoint, "--data", run.Data, "--split", "holdout"));
        Assert.Contains("no folder for class(es) COVID19", CliRunner.AssertRefused("evaluate", "--checkpoint", run.Checkpoint, "--data", twoClasses));
    }

    /// <summary>The clinician's fields: present, consistent with the matrix, and the intervals reproducible by seed.</summary>
    [Fact]
    public void Json_has_sensitivity_specificity_calibration_intervals_and_temperature()
    {
        var run = TrainedSyntheticRun.Instance;
        var output = TestFiles.TempFolder();
        string Json(int seed) => CliRunner.Run("evaluate", "--checkpoint", run.Checkpoint, "--data", run.Data, "--json", "--out", output,
            "--bootstrap", "200", "--seed", seed.ToString(CultureInfo.InvariantCulture)).Out;

        using var doc = JsonDocument.Parse(Json(1));
        var root = doc.RootElement;
        var matrix = root.GetProperty("confusion_matrix").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray();
        var classes = root.GetProperty("classes").EnumerateArray().Select(c => c.GetString()!).ToArray();
        for (var c = 0; c < 3; c++)
        {
            var others = Enumerable.Range(0, 3).Where(r => r != c).ToArray();
            Assert.Equal(matrix[c][c] / (double)matrix[c].Sum(), root.GetProperty("sensitivity").GetProperty(classes[c]).GetDouble(), 12);
            Assert.Equal(1 - others.Sum(r => matrix[r][c]) / (double)others.Sum(r => matrix[r].Sum()),
                root.GetProperty("specificity").GetProperty(classes[c]).GetDouble(), 12);
            var recall = root.GetProperty("ci").GetProperty("recall").GetProperty(classes[c]).EnumerateArray().Select(v => v.GetDouble()).ToArray();
            Assert.Equal(2, recall.Length);
            Assert.True(recall[0] <= recall[1]);
        }
        var calibration = root.GetProperty("calibration");
        Assert.Equal(15, calibration.GetProperty("bins").GetInt32());
        Assert.InRange(calibration.GetProperty("ece").GetDouble(), 0, 1);
        Assert.InRange(calibration.GetProperty("brier").GetDouble(), 0, 2);
        Assert.True(calibration.GetProperty("nll").GetDouble() > 0);
        Assert.Equal(1.0, root.GetProperty("temperature").GetDouble());
        var accuracy = root.GetProperty("ci").GetProperty("accuracy").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.InRange(root.GetProperty("accuracy").GetDouble(), accuracy[0], accuracy[1]);
        Assert.Equal(2, root.GetProperty("ci").GetProperty("macro_f1").GetArrayLength());

        // Same seed, same intervals; another seed, other intervals (15 images: the resamples differ visibly).
        string Ci(string json) => JsonDocument.Parse(json).RootElement.GetProperty("ci").GetRawText();
        Assert.Equal(Ci(Json(1)), Ci(Json(1)));
        Assert.NotEqual(Ci(Json(1)), Ci(Json(2)));
    }

    [Fact]
    public void Text_report_says_sensitivity_specificity_intervals_and_calibration()
    {
        var run = TrainedSyntheticRun.Instance;
        var (code, text, error) = CliRunner.Run("evaluate", "--checkpoint", run.Checkpoint, "--data", run.Data, "--out", TestFiles.TempFolder(), "--bootstrap", "100");
        Assert.True(code == 0, error);
        Assert.Contains("sensitivity  specificity  recall 95 % CI", text);
        Assert.Contains("accuracy ", text);
        Assert.Contains("95 % CI [", text);
        Assert.Contains("100 resamples, seed 0", text);
        Assert.Contains("calibration: ECE ", text);
        Assert.Contains("temperature 1 (uncalibrated)", text);
    }

    [Theory]
    [InlineData("0", "--bootstrap must be at least 1")]
    [InlineData("-5", "--bootstrap must be at least 1")]
    public void A_bad_bootstrap_count_is_refused(string count, string message)
    {
        var run = TrainedSyntheticRun.Instance;
        Assert.Contains(message, CliRunner.AssertRefused("evaluate", "--checkpoint", run.Checkpoint, "--data", run.Data, "--bootstrap", count));
    }

    /// <summary>--positive: the operating point evaluate reports is the threshold view's, on the predictions it wrote.</summary>
    [Fact]
    public void Positive_class_adds_the_operating_point_at_the_target_sensitivity()
    {
        var run = TrainedSyntheticRun.Instance;
        var output = TestFiles.TempFolder();
        var (code, json, error) = CliRunner.Run("evaluate", "--checkpoint", run.Checkpoint, "--data", run.Data, "--json", "--out", output,
            "--bootstrap", "50", "--positive", "covid19", "--target-sensitivity", "0.8");
        Assert.True(code == 0, error);
        var point = JsonDocument.Parse(json).RootElement.GetProperty("operating_point");
        var expected = XRay.Metrics.ThresholdCurve.Compute(XRay.Metrics.Predictions.ReadCsv(Path.Combine(output, "predictions.csv")), "COVID19").AtSensitivity(0.8)!;
        Assert.Equal("COVID19", point.GetProperty("class").GetString());
        Assert.Equal(0.8, point.GetProperty("target_sensitivity").GetDouble());
        Assert.Equal(expected.Threshold, point.GetProperty("threshold").GetDouble(), 6); // the csv keeps 9 significant digits
        Assert.Equal(expected.Sensitivity, point.GetProperty("sensitivity").GetDouble());
        Assert.Equal(expected.Specificity, point.GetProperty("specificity").GetDouble());
        Assert.True(point.GetProperty("sensitivity").GetDouble() >= 0.8);

        var (_, text, _) = CliRunner.Run("evaluate", "--checkpoint", run.Checkpoint, "--data", run.Data, "--out", output, "--bootstrap", "50", "--positive", "COVID19");
        Assert.Contains("operating point for COVID19 at sensitivity >= 0.95: flag when p(COVID19) >= ", text);

        Assert.Contains("--positive 'TB' is not one of the checkpoint's classes: COVID19, NORMAL, PNEUMONIA",
            CliRunner.AssertRefused("evaluate", "--checkpoint", run.Checkpoint, "--data", run.Data, "--positive", "TB"));
        Assert.Contains("--target-sensitivity must be above 0 and at most 1",
            CliRunner.AssertRefused("evaluate", "--checkpoint", run.Checkpoint, "--data", run.Data, "--target-sensitivity", "95"));
    }
}
