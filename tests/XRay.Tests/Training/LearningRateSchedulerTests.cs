using XRay.Training;

namespace XRay.Tests.Training;

public class LearningRateSchedulerTests
{
    [Fact]
    public void Seed_002_schedule_halves_at_epochs_0_10_20_like_keras()
    {
        using var run = new ScriptedTraining(learningRate: 1e-3);
        var rates = new List<double>();
        run.Run(LearningRateScheduler.HalveEvery(10), new double[25], afterEpoch: _ => rates.Add(run.Context.LearningRate));
        Assert.Equal(5e-4, rates[0], 15);
        Assert.Equal(5e-4, rates[9], 15);
        Assert.Equal(2.5e-4, rates[10], 15);
        Assert.Equal(1.25e-4, rates[20], 15);
    }
}
