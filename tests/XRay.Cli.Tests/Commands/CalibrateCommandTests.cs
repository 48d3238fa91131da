using System.Globalization;
using System.Text.Json;
using XRay.Metrics;
using XRay.Training;

namespace XRay.Cli.Tests.Commands;

public class CalibrateCommandTests
{
    /// <summary>
    /// calibrate stores T; afterwards evaluate reports it, its predictions.csv holds softmax(log p / T) of the uncalibrated
    /// probabilities with the same predicted classes, and predict prints the same calibrated numbers.
    /// </summary>
    [Fact]
    public void Calibrate_stores_t_and_evaluate_and_predict_use_it()
    {
        var run = TrainedSyntheticRun.Instance;
        var folder = TestFiles.TempFolder();
        var checkpoint = Path.Combine(folder, "checkpoint.pt");
        File.Copy(run.Checkpoint, checkpoint); // the shared run's checkpoint stays uncalibrated for the other tests
        var before = TestFiles.TempFolder();
        Assert.Equal(0, CliRunner.Run("evaluate", "--checkpoint", checkpoint, "--data", run.Data, "--out", before).Code);

        var (code, json, error) = CliRunner.Run("calibrate", "--checkpoint", checkpoint, "--data", run.Data, "--json");

        Assert.True(code == 0, error);
        var fit = JsonSerializer.Deserialize<TemperatureFit>(json)!;
        Assert.Equal(new[] { "ece_after", "ece_before", "nll_after", "nll_before", "temperature" },
            JsonDocument.Parse(json).RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.True(fit.Temperature is > 0 and not 1.0, $"T = {fit.Temperature}");
        Assert.True(fit.NllAfter <= fit.NllBefore + 1e-12, $"NLL {fit.NllBefore} -> {fit.NllAfter}");
        using (var saved = Checkpoint.Load(checkpoint)) Assert.Equal(fit.Temperature, saved.Temperature);

        var after = TestFiles.TempFolder();
        var (_, evaluated, _) = CliRunner.Run("evaluate", "--checkpoint", checkpoint, "--data", run.Data, "--out", after, "--json");
        Assert.Equal(fit.Temperature, JsonDocument.Parse(evaluated).RootElement.GetProperty("temperature").GetDouble());
        var raw = Predictions.ReadCsv(Path.Combine(before, "predictions.csv"));
        var calibrated = Predictions.ReadCsv(Path.Combine(after, "predictions.csv"));
        Assert.Equal(File.ReadLines(Path.Combine(before, "predictions.csv")).First(), File.ReadLines(Path.Combine(after, "predictions.csv")).First());
        Assert.Equal(raw.Predicted, calibrated.Predicted);
        var expected = TemperatureScaling.Apply(raw, fit.Temperature);
        for (var i = 0; i < raw.Count; i++)
            for (var k = 0; k < 3; k++) Assert.Equal(expected.Probabilities[i][k], calibrated.Probabilities[i][k], 1e-5);
        Assert.NotEqual(raw.Probabilities[0][0], calibrated.Probabilities[0][0]);

        var (_, predicted, _) = CliRunner.Run("predict", "--checkpoint", checkpoint, calibrated.Paths[0]);
        var p = predicted.Trim().Split('\t')[2..].Select(f => double.Parse(f.Split('=')[1], CultureInfo.InvariantCulture)).ToArray();
        for (var k = 0; k < 3; k++) Assert.Equal(calibrated.Probabilities[0][k], p[k], 1e-5);

        // Calibrating again fits from the logits as trained, not from already calibrated ones: the same T.
        var again = JsonSerializer.Deserialize<TemperatureFit>(CliRunner.Run("calibrate", "--checkpoint", checkpoint, "--data", run.Data, "--json").Out)!;
        Assert.Equal(fit.Temperature, again.Temperature, 9);
    }

    [Fact]
    public void Text_output_says_what_changed()
    {
        var run = TrainedSyntheticRun.Instance;
        var checkpoint = Path.Combine(TestFiles.TempFolder(), "best.pt");
        File.Copy(run.Checkpoint, checkpoint);
        var (code, text, error) = CliRunner.Run("calibrate", "--checkpoint", checkpoint, "--data", run.Data);
        Assert.True(code == 0, error);
        Assert.Contains("Temperature T = ", text);
        Assert.Contains("validation images: NLL ", text);
        Assert.Contains($"Stored in {checkpoint}", text);
    }

    [Fact]
    public void Bad_input_is_refused_with_one_clear_line()
    {
        var run = TrainedSyntheticRun.Instance;
        var truncated = Path.Combine(TestFiles.TempFolder(), "cut.pt");
        File.WriteAllBytes(truncated, File.ReadAllBytes(run.Checkpoint)[..1000]);
        Assert.Contains("No checkpoint at", CliRunner.AssertRefused("calibrate", "--checkpoint", "/nonexistent/c.pt", "--data", run.Data));
        Assert.Contains("cannot be used", CliRunner.AssertRefused("calibrate", "--checkpoint", truncated, "--data", run.Data));
        Assert.Equal(1000, new FileInfo(truncated).Length); // refused, not rewritten
    }
}
