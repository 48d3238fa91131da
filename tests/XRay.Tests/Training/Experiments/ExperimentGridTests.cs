using XRay.Models;
using XRay.Training;
using XRay.Training.Experiments;

namespace XRay.Tests.Training.Experiments;

public class ExperimentGridTests
{
    private static readonly ExperimentSettings Baseline = new() { ImageSize = 32, Epochs = 10 };

    [Fact]
    public void Defaults_are_seed_003s_cnn_row()
    {
        var cnn = Seed003Row.Table[1];
        var s = new ExperimentSettings();
        Assert.Equal(("CNN", 150, 40, 100, 1e-4), (cnn.Model, cnn.Pixels, cnn.Epochs, cnn.Batch, cnn.LearningRate));
        Assert.Equal((ModelFactory.CnnArch, cnn.Pixels, cnn.Epochs, cnn.Batch, cnn.LearningRate), (s.Arch, s.ImageSize, s.Epochs, s.BatchSize, s.LearningRate));
        Assert.Equal(OptimizerKind.RmsProp, s.Optimizer);
        Assert.Equal((0.0, 0.0, 0.0, false, 0), (s.L1, s.L2, s.Dropout, s.Augment, s.EarlyStoppingPatience));
    }

    // The old 09's "no dropout + L2" row: two causes for one difference.
    [Fact]
    public void A_row_that_changes_two_things_is_rejected()
    {
        var withDropout = Baseline with { Dropout = 0.2 };
        var e = Assert.Throws<ArgumentException>(() => new ExperimentGrid(new ExperimentRow("base", withDropout),
            new[] { new ExperimentRow("no dropout + L2", withDropout with { Dropout = 0, L2 = 1e-4 }) }));
        Assert.Contains("changes 2 things", e.Message);
        Assert.Contains("Dropout", e.Message);
        Assert.Contains("L2", e.Message);
    }

    [Fact]
    public void A_row_that_changes_nothing_is_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new ExperimentGrid(new ExperimentRow("base", Baseline),
            new[] { new ExperimentRow("same", Baseline with { }) }));
        Assert.Contains("changes nothing", e.Message);
    }

    [Fact]
    public void Seed003_grid_changes_one_named_setting_per_row()
    {
        var grid = ExperimentGrid.Seed003(Baseline, largeSize: 45, longEpochs: 25, includeVgg19: true);
        var changes = grid.Rows.Skip(1).ToDictionary(r => r.Name, grid.Change);
        Assert.Equal("Arch: cnn → mlp", changes["MLP"]);
        Assert.Equal("ImageSize: 32 → 45", changes["45 px"]);
        Assert.Equal("BatchSize: 100 → 40", changes["batch 40"]);
        Assert.Equal("Epochs: 10 → 25", changes["25 epochs"]);
        Assert.StartsWith("LearningRate: ", changes["lr 2e-5"]);
        Assert.StartsWith("L1: 0 → ", changes["L1 5e-7"]);
        Assert.StartsWith("L2: 0 → ", changes["L2 5e-7"]);
        Assert.Equal("Dropout: 0 → 0.05", changes["dropout 5 %"]);
        Assert.Equal("Augment: False → True", changes["augmentation"]);
        Assert.Equal("EarlyStoppingPatience: 0 → 3", changes["early stopping"]);
        Assert.Equal("Arch: cnn → vgg19", changes["VGG19"]);
        Assert.Equal(5e-7, grid.Rows.Single(r => r.Name == "L2 5e-7").Settings.L2);
        Assert.Equal(2e-5, grid.Rows.Single(r => r.Name == "lr 2e-5").Settings.LearningRate);
        Assert.Equal("", grid.Change(grid.Baseline));
        Assert.Same(Seed003Row.Table[1], grid.Baseline.Seed003);
        Assert.DoesNotContain(ExperimentGrid.Seed003(Baseline, 45, 25).Rows, r => r.Name == "VGG19");
    }

    [Fact]
    public void Seed003_table_is_the_seeds_ten_rows()
    {
        Assert.Equal(10, Seed003Row.Table.Count);
        Assert.Equal(2, Seed003Row.Table.Count(r => r.Model == "VGG19"));
        Assert.Equal("CNN 210 px, 40 ep, batch 100, L2 (5e-7), lr 2e-5", Seed003Row.Table[7].Describe());
    }
}
