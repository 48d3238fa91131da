using System.Globalization;
using XRay.Metrics;
using XRay.Models;
using XRay.TestSupport;
using XRay.Training;
using static TorchSharp.torch;

namespace XRay.Tests.Training;

/// <summary>Issue 14: callback state travels in the checkpoint, and the epoch metrics beyond accuracy.</summary>
public class ResumeCallbacksTests
{
    private static readonly TrainingOptions Cpu = new() { LearningRate = 3e-3, Device = CPU, Seed = 7, BatchSize = 32 };

    // min_delta 100 on val_loss: only the first epoch counts as an improvement, so the waits run deterministically:
    // the plateau halves the rate at epochs 3 and 5 (1-based), early stopping stops after epoch 5.
    private static Callback[] Callbacks(string folder) => new Callback[]
    {
        new ReduceLROnPlateau("val_loss", factor: 0.5, patience: 2, minDelta: 100),
        new EarlyStopping("val_loss", minDelta: 100, patience: 4, restoreBestWeights: true),
        new ModelCheckpoint(Path.Combine(folder, "best.pt"), "val_accuracy", saveBestOnly: true),
    };

    private static History Fit(TrainingOptions options, int epochs, string folder)
    {
        using var train = PatternData.Create(96, 24, 3, seed: 1);
        using var val = PatternData.Create(48, 24, 3, seed: 2, shuffle: false);
        using var model = ModelFactory.Create("blog-cnn", 1, 24, 24, 3, seed: 11);
        return Trainer.Fit(model, train, val, options with { Epochs = epochs, OutputDirectory = folder }, Callbacks(folder));
    }

    [Fact]
    public void A_run_stopped_after_epoch_2_and_resumed_stops_lowers_the_rate_and_keeps_best_pt_as_an_uninterrupted_run()
    {
        var whole = TestFiles.TempFolder();
        var parts = TestFiles.TempFolder();
        try
        {
            var uninterrupted = Fit(Cpu, 8, whole);
            Assert.Equal(5, uninterrupted.Epochs.Count); // stopped by early stopping, after k = 2
            Assert.Equal(new[] { 3e-3, 3e-3, 3e-3, 1.5e-3, 1.5e-3 }, uninterrupted.Epochs.Select(e => e.LearningRate));

            Fit(Cpu, 2, parts);
            var resumed = Fit(Cpu with { ResumeFrom = Path.Combine(parts, "checkpoint.pt") }, 8, parts);

            Assert.Equal(uninterrupted.Epochs.Count, resumed.Epochs.Count);
            Assert.Equal(uninterrupted.Epochs.Select(e => (e.Loss, e.ValLoss, e.ValAccuracy, e.LearningRate, e.ValRecall)),
                resumed.Epochs.Select(e => (e.Loss, e.ValLoss, e.ValAccuracy, e.LearningRate, e.ValRecall)));
            using var a = Checkpoint.Load(Path.Combine(whole, "best.pt"));
            using var b = Checkpoint.Load(Path.Combine(parts, "best.pt"));
            Assert.Equal(a.Epoch, b.Epoch);
            foreach (var (name, t) in a.ModelState) Assert.True(t.allclose(b.ModelState[name], rtol: 0, atol: 0), $"best.pt differs in {name}");
            // The final weights are the restored best ones in both (restore_best_weights), so the last checkpoints agree too.
            using var lastA = Checkpoint.Load(Path.Combine(whole, "checkpoint.pt"));
            using var lastB = Checkpoint.Load(Path.Combine(parts, "checkpoint.pt"));
            foreach (var (name, t) in lastA.ModelState) Assert.True(t.allclose(lastB.ModelState[name], rtol: 0, atol: 0), $"checkpoint.pt differs in {name}");
        }
        finally
        {
            Directory.Delete(whole, true);
            Directory.Delete(parts, true);
        }
    }

    [Fact]
    public void The_checkpoint_carries_each_callbacks_state_by_key()
    {
        var folder = TestFiles.TempFolder();
        try
        {
            Fit(Cpu, 2, folder);
            using var checkpoint = Checkpoint.Load(Path.Combine(folder, "checkpoint.pt"));
            var stopping = new EarlyStopping("val_loss", minDelta: 100, patience: 4, restoreBestWeights: true);
            var plateau = new ReduceLROnPlateau("val_loss", factor: 0.5, patience: 2, minDelta: 100);
            var unrelated = new EarlyStopping("val_f1");
            checkpoint.RestoreCallbacks(new Callback[] { stopping, plateau, unrelated });
            Assert.Equal(1, stopping.Wait);
            Assert.Equal(0, stopping.BestEpoch);
            Assert.Equal(1, plateau.Wait);
            Assert.Equal(checkpoint.History.Epochs[0].ValLoss, plateau.Best);
            Assert.Equal(0, unrelated.Wait); // no state under its key: it starts fresh
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact]
    [Trait("Category", TestCategories.Parity)]
    public void Epoch_metrics_equal_scikit_learns_on_the_same_predictions_and_recall_is_monitored_upwards()
    {
        using var train = PatternData.Create(96, 24, 3, seed: 1);
        using var val = PatternData.Create(48, 24, 3, seed: 2, shuffle: false);
        using var model = ModelFactory.Create("blog-cnn", 1, 24, 24, 3, seed: 11);
        var history = Trainer.Fit(model, train, val, Cpu with { Epochs = 2 });
        var last = history.Epochs[^1];
        // val_* were measured with the final weights: predict the same images again and ask scikit-learn.
        var predictions = Predictions.Predict(model, val);
        var printed = PythonReference.Run(
            "import sys, json; from sklearn.metrics import precision_recall_fscore_support as s, accuracy_score as a\n" +
            "t, p = json.loads(sys.argv[1]), json.loads(sys.argv[2])\n" +
            "print(' '.join(repr(float(v)) for v in list(s(t, p, labels=[0, 1, 2], average='macro', zero_division=0)[:3]) + [a(t, p)]))",
            "[" + string.Join(",", predictions.Labels) + "]", "[" + string.Join(",", predictions.Predicted) + "]");
        var expected = printed.Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(expected[0], last.ValPrecision!.Value, 12);
        Assert.Equal(expected[1], last.ValRecall!.Value, 12);
        Assert.Equal(expected[2], last.ValF1!.Value, 12);
        Assert.Equal(expected[3], last.ValAccuracy!.Value, 12);
        Assert.All(history.Epochs, e => Assert.NotNull(e.Recall));

        // Higher recall is better: rising recall never stops training, and a drop counts toward patience.
        var stopping = new EarlyStopping("val_recall", patience: 1);
        var context = new TrainingContext(model, optim.SGD(model.parameters(), 0.1), Cpu, train.ClassNames, train.Preprocessing);
        stopping.OnFitStart(context);
        foreach (var (epoch, recall) in new[] { (0, 0.5), (1, 0.6), (2, 0.7) })
            stopping.OnEpochEnd(context, epoch, last.With(new[] { KeyValuePair.Create("val_recall", recall) }));
        Assert.False(context.StopTraining);
        stopping.OnEpochEnd(context, 3, last.With(new[] { KeyValuePair.Create("val_recall", 0.65) }));
        Assert.True(context.StopTraining);
        Assert.Equal(0.7, stopping.Best);
    }

    [Fact]
    public void A_monitored_metric_no_epoch_logs_is_refused_with_the_logged_names()
    {
        using var training = new ScriptedTraining();
        var stopping = new EarlyStopping("val_recal");
        stopping.OnFitStart(training.Context);
        var logs = new EpochRecord(1, EpochRecord.MetricNames.Select(n => KeyValuePair.Create(n, 0.5)), 0);
        var e = Assert.Throws<ArgumentException>(() => stopping.OnEpochEnd(training.Context, 0, logs));
        Assert.Contains("'val_recal'", e.Message);
        Assert.Contains("val_recall", e.Message);
    }

    [Fact]
    public void A_val_metric_is_skipped_not_refused_in_an_epoch_without_validation()
    {
        using var training = new ScriptedTraining();
        var stopping = new EarlyStopping("val_loss", patience: 0);
        Assert.Equal(3, training.Run(stopping, new[] { 3.0, 2.0, 1.0 }, metric: "loss")); // the "loss" script logs no val_*
        Assert.False(training.Context.StopTraining);
    }
}
