using XRay.Training;

namespace XRay.Tests.Training;

public class EarlyStoppingTests
{
    [Fact]
    public void Stops_after_patience_epochs_without_improvement_and_restores_the_best_weights()
    {
        using var run = new ScriptedTraining();
        var stop = new EarlyStopping(patience: 2, restoreBestWeights: true);
        // best at epoch 1 (0.5); epochs 2 and 3 do not improve -> stops at epoch 3 (0-based), weights from epoch 1.
        var epochs = run.Run(stop, new[] { 0.9, 0.5, 0.6, 0.55, 0.1, 0.1 });
        Assert.Equal(4, epochs);
        Assert.Equal(3, stop.StoppedEpoch);
        Assert.Equal(1, stop.BestEpoch);
        Assert.Equal(1f, run.Weight);
        Assert.True(run.Context.StopTraining);
    }

    [Fact]
    public void Min_delta_baseline_mode_and_defaults_follow_keras()
    {
        // Defaults: patience 0 stops at the first epoch (after the first) without improvement.
        using (var run = new ScriptedTraining())
            Assert.Equal(2, run.Run(new EarlyStopping(), new[] { 1.0, 1.0, 0.5 }));
        // min_delta 0.1: 0.95 and 0.93 are not improvements on 1.0.
        using (var run = new ScriptedTraining())
            Assert.Equal(3, run.Run(new EarlyStopping(minDelta: 0.1, patience: 2), new[] { 1.0, 0.95, 0.93, 0.5 }));
        // Auto mode with val_accuracy is max: rising accuracy keeps training; seed 002's patience 5.
        using (var run = new ScriptedTraining())
            Assert.Equal(8, run.Run(new EarlyStopping("val_accuracy", patience: 5), new[] { 0.5, 0.6, 0.7, 0.6, 0.6, 0.6, 0.6, 0.6, 0.9 }, "val_accuracy"));
        // A baseline not beaten keeps the first epoch's wait: stops one epoch sooner than without it.
        using (var run = new ScriptedTraining())
            Assert.Equal(3, run.Run(new EarlyStopping(patience: 2), new[] { 0.9, 0.9, 0.9, 0.9 }));
        using (var run = new ScriptedTraining())
            Assert.Equal(2, run.Run(new EarlyStopping(patience: 2, baseline: 0.1), new[] { 0.9, 0.9, 0.9, 0.9 }));
        // start_from_epoch: the first epochs are ignored.
        using (var run = new ScriptedTraining())
            Assert.Equal(4, run.Run(new EarlyStopping(startFromEpoch: 2), new[] { 1.0, 2.0, 3.0, 4.0, 5.0 }));
    }
}
