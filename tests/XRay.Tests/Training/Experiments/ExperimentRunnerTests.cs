using XRay.Display;
using XRay.Data;
using XRay.Models;
using XRay.Training.Experiments;

namespace XRay.Tests.Training.Experiments;

public class ExperimentRunnerTests
{
    // Small and quick to learn: the pattern set at 16 px, RMSprop at 1e-3.
    private static readonly ExperimentSettings Baseline = new() { ImageSize = 16, Epochs = 6, BatchSize = 32, LearningRate = 1e-3 };

    // An imbalanced validation set (class 2 twice as common), so the majority row is not simply 1/classes.
    private static (IBatchSource, IBatchSource) Data(ExperimentSettings s, long seed) =>
        (PatternData.Create(150, s.ImageSize, 3, seed: (int)seed, batchSize: s.BatchSize),
         Imbalanced(s.ImageSize));

    private static TensorBatchSource Imbalanced(int size)
    {
        using var all = PatternData.Create(120, size, 3, seed: 99, shuffle: false);
        var images = new List<TorchSharp.torch.Tensor>();
        var labels = new List<long>();
        foreach (var batch in all.GetBatches(0))
            using (batch)
                for (var i = 0; i < batch.Count; i++)
                {
                    var label = batch.Labels[i].item<long>();
                    if (label != 2 && labels.Count(l => l == label) >= 20) continue;
                    images.Add(batch.Images[i].clone());
                    labels.Add(label);
                }
        using var x = TorchSharp.torch.stack(images);
        using var y = TorchSharp.torch.tensor(labels.ToArray());
        foreach (var t in images) t.Dispose();
        return new TensorBatchSource(x, y, all.ClassNames, 32, shuffle: false);
    }

    private static int[] Counts(IBatchSource source)
    {
        var counts = new int[source.ClassNames.Count];
        foreach (var batch in source.GetBatches(0))
            using (batch)
                foreach (var label in batch.Labels.data<long>()) counts[label]++;
        return counts;
    }

    [Fact]
    public void Baseline_learns_well_above_the_majority_class_over_three_seeds()
    {
        var grid = new ExperimentGrid(new ExperimentRow("baseline", Baseline), Array.Empty<ExperimentRow>());
        var results = ExperimentRunner.Run(grid, Data, new long[] { 1, 2, 3 });
        using var val = Imbalanced(16);
        var majority = MajorityClass.Accuracy(Counts(val));
        Assert.Equal(40.0 / 80, majority);           // 20, 20, 40
        var accuracy = results[0].ValAccuracy;
        Assert.Equal(3, accuracy.Count);
        Assert.True(accuracy.Mean > majority + 0.2, $"baseline {accuracy} against majority {majority:0.000}");
        Assert.Contains("above the majority", ExperimentReport.Findings(results, majority)[0]);
    }

    [Fact]
    public void The_same_seed_repeats_its_result_and_another_seed_differs()
    {
        var row = new ExperimentRow("baseline", Baseline with { Epochs = 2 });
        var a = ExperimentRunner.RunOnce(row, Data, 5);
        var b = ExperimentRunner.RunOnce(row, Data, 5);
        var c = ExperimentRunner.RunOnce(row, Data, 6);
        Assert.Equal((a.ValLoss, a.ValAccuracy, a.TrainLoss), (b.ValLoss, b.ValAccuracy, b.TrainLoss));
        Assert.NotEqual(a.ValLoss, c.ValLoss);
    }

    [Fact]
    public void Early_stopping_row_ends_with_its_best_val_loss_weights()
    {
        // A rate high enough that val_loss rises again, so early stopping has something to restore.
        var row = new ExperimentRow("early stopping", Baseline with { Epochs = 12, LearningRate = 1e-2, EarlyStoppingPatience = 1 });
        var dir = Path.Combine(TestFiles.TempFolder(), "xray-exp");
        try
        {
            var r = ExperimentRunner.RunOnce(row, Data, 3, dir);
            using var log = XRay.Training.RunLog.Open(Path.Combine(dir, XRay.Training.RunLog.FileName));
            var epochs = log.Epochs(log.Runs().Single().Id);
            Assert.Equal(r.EpochsRun, epochs.Count);
            Assert.Equal(epochs.Min(e => e.ValLoss!.Value), r.ValLoss, 4);
            Assert.Equal(epochs.Max(e => e.ValAccuracy!.Value), r.BestValAccuracy);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Table_and_chart_put_chance_first_and_seed_003_beside_ours()
    {
        var grid = ExperimentGrid.Seed003(Baseline, 20, 10);
        SeedResult Seed(long s, double acc) => new(s, 6, 0.5, 0.9, 0.4, acc, acc, 1);
        var results = grid.Rows.Take(2).Select((r, i) => new ExperimentResult(r, new[] { Seed(1, 0.8 - i * 0.2), Seed(2, 0.9 - i * 0.2), Seed(3, 0.7 - i * 0.2) })).ToList();
        var table = ExperimentTables.Table(grid, results, 0.5);
        Assert.Equal(3, table.Rows.Count);
        Assert.Equal(ExperimentReport.MajorityName, table["row"][0]);
        Assert.Equal(0.5, table["mean"][0]);
        Assert.Equal("0.800 ± 0.100 (n=3)", table["val_accuracy"][1]);
        Assert.Equal(0.1, (double)table["sd"][1]!, 12);
        Assert.Equal(Seed003Row.Table[1].TestAccuracy, table["seed003_test_accuracy"][1]);
        Assert.Equal(Seed003Row.Table[0].TestAccuracy, table["seed003_test_accuracy"][2]);
        Assert.Equal("Arch: cnn → mlp", table["change"][2]);
        Assert.Equal(MajorityClass.Seed003Test, table["seed003_test_accuracy"][0]);

        var json = System.Text.Json.Nodes.JsonNode.Parse(ExperimentTables.Chart(results, 0.5).ToJson())!;
        var trace = json["data"]![0]!;
        Assert.Equal(new[] { ExperimentReport.MajorityName, "CNN (baseline)", "MLP" }, trace["x"]!.AsArray().Select(x => x!.GetValue<string>()));
        var plus = trace["error_y"]!["array"]!.AsArray().Select(x => x!.GetValue<double>()).ToArray();
        Assert.Equal(new[] { 0, 0.1, 0.1 }, plus.Select(p => Math.Round(p, 12)));
    }

    [Fact]
    public void Findings_say_when_a_difference_is_inside_the_seeds_spread()
    {
        var grid = ExperimentGrid.Seed003(Baseline, 20, 10);
        SeedResult Seed(long s, double acc) => new(s, 6, 0.5, 0.9, 0.4, acc, acc, 1);
        var results = new List<ExperimentResult>
        {
            new(grid.Rows[0], new[] { Seed(1, 0.8), Seed(2, 0.9), Seed(3, 0.7) }),
            new(grid.Rows[1], new[] { Seed(1, 0.85), Seed(2, 0.75), Seed(3, 0.8) }),   // same mean: within
            new(grid.Rows[2], new[] { Seed(1, 0.3), Seed(2, 0.31), Seed(3, 0.32) }),   // far below: larger
        };
        var lines = ExperimentReport.Findings(results, 0.9);
        Assert.Contains("NOT above the majority", lines[0]);
        Assert.Contains("within the sds", lines[1]);
        Assert.Contains("-0.490 against the baseline, larger than", lines[2]);
    }

    // The optional VGG19 row: grayscale input at the smallest size its five poolings take, one epoch.
    [Fact]
    public void Vgg19_row_trains_on_grayscale_images()
    {
        var row = ExperimentGrid.Seed003(Baseline with { ImageSize = 32, Epochs = 1 }, 40, 2, includeVgg19: true).Rows.Single(r => r.Name == "VGG19");
        var r = ExperimentRunner.RunOnce(row, (s, seed) => (PatternData.Create(12, s.ImageSize, 3, (int)seed, batchSize: 6),
            PatternData.Create(6, s.ImageSize, 3, 9, shuffle: false)), 1);
        Assert.Equal(1, r.EpochsRun);
        Assert.True(double.IsFinite(r.ValLoss) && r.ValAccuracy is >= 0 and <= 1);
    }
}
