using System.Globalization;

namespace XRay.Cli.Tests.Commands;

public class PredictCommandTests
{
    [Fact]
    public void One_line_per_image_matching_evaluate_and_a_bad_file_reported_without_stopping_the_others()
    {
        var run = TrainedSyntheticRun.Instance;
        var images = Directory.GetFiles(Path.Combine(run.Data, "test"), "*.jpg", SearchOption.AllDirectories).Order().Take(4).ToArray();
        var corrupt = Path.Combine(TestFiles.TempFolder(), "corrupt.jpg");
        File.WriteAllBytes(corrupt, File.ReadAllBytes(images[0])[..200]);
        var evaluated = TestFiles.TempFolder();
        Assert.Equal(0, CliRunner.Run("evaluate", "--checkpoint", run.Checkpoint, "--data", run.Data, "--out", evaluated).Code);
        var expected = File.ReadAllLines(Path.Combine(evaluated, "predictions.csv")).Skip(1).Select(l => l.Split(','))
            .ToDictionary(r => r[0], r => (Pred: r[2], P: r[3..].Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray()));

        var (code, output, error) = CliRunner.Run(new[] { "predict", "--checkpoint", run.Checkpoint, images[0], images[1], corrupt, images[2], "/nonexistent.jpg", images[3] });

        Assert.Equal(1, code);
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal(4, lines.Length);
        for (var i = 0; i < 4; i++)
        {
            var fields = lines[i].Split('\t');
            Assert.Equal(images[i], fields[0]);
            Assert.Equal(new[] { "COVID19", "NORMAL", "PNEUMONIA" }, fields[2..].Select(f => f.Split('=')[0]));
            var p = fields[2..].Select(f => double.Parse(f.Split('=')[1], CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(1.0, p.Sum(), 3);
            // The same preprocessing and model as `xray evaluate`, so the same answer.
            Assert.Equal(expected[images[i]].Pred, fields[1]);
            for (var k = 0; k < 3; k++) Assert.Equal(expected[images[i]].P[k], p[k], 1e-5); // printed with 6 decimals
        }
        Assert.Contains($"error: {corrupt}: ", error);
        Assert.Contains("error: /nonexistent.jpg: file not found", error);
        Assert.Contains("2 of 6 images could not be classified", error);
        Assert.DoesNotContain("   at ", error);

        Assert.Equal(0, CliRunner.Run("predict", "--checkpoint", run.Checkpoint, images[0]).Code);
    }
}
