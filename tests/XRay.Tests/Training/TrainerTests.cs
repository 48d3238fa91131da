using XRay.Models;
using XRay.Training;
using static TorchSharp.torch;

namespace XRay.Tests.Training;

public class TrainerTests
{
    private static readonly TrainingOptions Cpu = new() { Epochs = 3, LearningRate = 3e-3, Device = CPU, Seed = 7, BatchSize = 32 };

    private static History Train(TrainingOptions options, int epochs, out ClassifierModel model, IEnumerable<Callback>? callbacks = null,
        long modelSeed = 11)
    {
        using var train = PatternData.Create(192, 24, 3, seed: 1);
        using var val = PatternData.Create(96, 24, 3, seed: 2, shuffle: false);
        model = ModelFactory.Create("blog-cnn", 1, 24, 24, 3, seed: modelSeed);
        return Trainer.Fit(model, train, val, options with { Epochs = epochs }, callbacks);
    }

    // The blog's Adam 1e-3; three initializations, so passing is not the luck of one seed.
    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    [Trait("Category", TestCategories.Slow)]
    public void Blog_cnn_learns_the_patterns_well_above_chance(long modelSeed)
    {
        var history = Train(Cpu with { LearningRate = 1e-3 }, 8, out var model, modelSeed: modelSeed);
        using (model)
        {
            using var test = PatternData.Create(150, 24, 3, seed: 3, shuffle: false);
            var (_, accuracy) = Trainer.Evaluate(model, test);
            Assert.True(accuracy > 0.8, $"test accuracy {accuracy:F3} (chance 0.33); history: {string.Join(", ", history.Epochs.Select(e => e.ValAccuracy))}");
            Assert.True(history.Epochs[^1].Loss < history.Epochs[0].Loss);
            Assert.All(history.Epochs, e => Assert.True(e.Seconds > 0));
        }
    }

    [Fact]
    public void A_models_own_l1_l2_and_the_fits_are_one_penalty()
    {
        History Fit(CnnOptions cnn, TrainingOptions options)
        {
            using var train = PatternData.Create(64, 24, 3, seed: 1);
            using var model = ModelFactory.Create(new ModelSpec("cnn", 1, 24, 24, 3) { Cnn = cnn }, seed: 5);
            return Trainer.Fit(model, train, null, options with { Epochs = 2 });
        }
        var small = new CnnOptions { Filters = new[] { 4, 8 }, Dense = new[] { 8 } };
        var onTheModel = Fit(small with { L1 = 1e-3, L2 = 1e-2 }, Cpu);
        var onTheFit = Fit(small, Cpu with { L1 = 1e-3, L2 = 1e-2 });
        var split = Fit(small with { L2 = 1e-2 }, Cpu with { L1 = 1e-3 });
        var none = Fit(small, Cpu);
        Assert.Equal(onTheModel.Epochs.Select(e => e.Loss), onTheFit.Epochs.Select(e => e.Loss));
        Assert.Equal(onTheModel.Epochs.Select(e => e.Loss), split.Epochs.Select(e => e.Loss));
        Assert.True(onTheModel.Epochs[0].Loss > none.Epochs[0].Loss); // the penalty is in the loss
    }

    [Fact]
    public void The_run_log_and_checkpoint_record_the_batch_size_the_source_used()
    {
        var folder = TestFiles.TempFolder();
        try
        {
            using var train = PatternData.Create(48, 24, 3, seed: 1, batchSize: 8);
            using var model = ModelFactory.Create("blog-cnn", 1, 24, 24, 3, seed: 11);
            Trainer.Fit(model, train, null, Cpu with { Epochs = 1, BatchSize = 32, OutputDirectory = folder });
            using var log = RunLog.Open(Path.Combine(folder, RunLog.FileName));
            Assert.Equal(8, log.Runs().Single().BatchSize);
            using var checkpoint = Checkpoint.Load(Path.Combine(folder, CheckpointWriter.FileName));
            Assert.Equal(8, checkpoint.Options!.BatchSize);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void Same_seed_gives_identical_histories_and_weights()
    {
        var a = Train(Cpu, 2, out var first);
        var b = Train(Cpu, 2, out var second);
        using (first)
        using (second)
        {
            Assert.Equal(a.Epochs.Select(e => (e.Loss, e.Accuracy, e.ValLoss, e.ValAccuracy)), b.Epochs.Select(e => (e.Loss, e.Accuracy, e.ValLoss, e.ValAccuracy)));
            foreach (var (name, t) in first.state_dict())
                Assert.True(t.allclose(second.state_dict()[name], rtol: 0, atol: 0), $"{name} differs");
        }
    }

    [Fact]
    public void Resuming_after_epoch_2_gives_the_uninterrupted_epoch_3_loss_and_writes_the_run_log()
    {
        var folder = TestFiles.TempFolder("xray-resume-");
        try
        {
            var full = Train(Cpu, 3, out var m1);
            m1.Dispose();
            var partial = Train(Cpu with { OutputDirectory = folder }, 2, out var m2);
            m2.Dispose();
            Assert.Equal(full.Epochs[1].Loss, partial.Epochs[1].Loss);
            var checkpoint = Path.Combine(folder, "checkpoint.pt");
            var resumed = Train(Cpu with { OutputDirectory = folder, ResumeFrom = checkpoint }, 3, out var m3);
            m3.Dispose();
            Assert.Equal(3, resumed.Epochs.Count);
            Assert.Equal(full.Epochs[2].Loss, resumed.Epochs[2].Loss);
            Assert.Equal(full.Epochs[2].ValLoss, resumed.Epochs[2].ValLoss);

            Assert.Contains("\"val_accuracy\"", File.ReadAllText(Path.Combine(folder, "history.json")));
            using var log = RunLog.Open(Path.Combine(folder, RunLog.FileName));
            var runs = log.Runs();
            Assert.Equal(2, runs.Count);
            Assert.Equal("completed", runs[1].Status);
            Assert.Equal("blog-cnn", runs[1].Arch);
            Assert.Equal(3, runs[1].EpochsCompleted);
            Assert.Equal(resumed.Epochs[2].Loss, log.Epochs(runs[1].Id).Single(e => e.Epoch == 3).Loss);
            using var ckpt = Checkpoint.Load(checkpoint);
            Assert.Equal(3, ckpt.Epoch);
            Assert.Equal(3, ckpt.History.Epochs.Count);
            using var rebuilt = ckpt.CreateModel();
            Assert.Equal(new[] { "HSTRIPES", "VSTRIPES", "BLOB" }, ckpt.ClassNames);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void Nan_loss_terminates_and_keeps_the_last_good_checkpoint()
    {
        var folder = TestFiles.TempFolder("xray-nan-");
        try
        {
            var history = Train(Cpu with { OutputDirectory = folder, LearningRate = 1e9, Optimizer = OptimizerKind.Sgd }, 4, out var model,
                new Callback[] { new TerminateOnNaN() });
            model.Dispose();
            Assert.True(history.Epochs.Count < 4);
            Assert.False(double.IsFinite(history.Epochs[^1].Loss));
            using var log = RunLog.Open(Path.Combine(folder, RunLog.FileName));
            Assert.StartsWith("stopped: invalid loss", log.Runs()[0].Status);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }
}
