using XRay.Training;

namespace XRay.Tests.Training;

public class ReduceLROnPlateauTests
{
    [Fact]
    public void Seed_001_settings_lower_the_rate_after_six_flat_epochs_and_respect_min_lr()
    {
        using var run = new ScriptedTraining(learningRate: 1e-7);
        var reduce = ReduceLROnPlateau.Seed001();
        var rates = new List<double>();
        // 1.0, then 0.998 (not below 1.0 - 5e-3) forever.
        run.Run(reduce, new[] { 1.0 }.Concat(Enumerable.Repeat(0.998, 20)).ToArray(), afterEpoch: _ => rates.Add(run.Context.LearningRate));
        // 6 epochs without improvement (epochs 1..6) -> reduced at epoch 6 to 1e-8, again at epoch 12 to the floor 5e-9.
        Assert.Equal(1e-7, rates[5], 15);
        Assert.Equal(1e-8, rates[6], 15);
        Assert.Equal(1e-8, rates[11], 15);
        Assert.Equal(5e-9, rates[12], 15);
        Assert.Equal(5e-9, rates[20], 15);
    }

    [Fact]
    public void Improvements_reset_the_wait_and_cooldown_delays_the_next_reduction()
    {
        using var run = new ScriptedTraining(learningRate: 1.0);
        var reduce = new ReduceLROnPlateau(factor: 0.5, patience: 2, cooldown: 2);
        var rates = new List<double>();
        run.Run(reduce, new[] { 1.0, 0.9, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95 }, afterEpoch: _ => rates.Add(run.Context.LearningRate));
        // epoch 1 improves; 2, 3 flat -> halve at epoch 3; cooldown at 4 and 5 (the wait restarts at 5) -> halve at 6.
        Assert.Equal(new[] { 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.25, 0.25 }, rates);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceLROnPlateau(factor: 1.0));
    }
}
