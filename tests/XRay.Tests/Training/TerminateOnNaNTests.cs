using XRay.Training;

namespace XRay.Tests.Training;

public class TerminateOnNaNTests
{
    [Fact]
    public void Stops_on_nan_or_infinite_loss()
    {
        using (var run = new ScriptedTraining())
        {
            var nan = new TerminateOnNaN();
            Assert.Equal(3, run.Run(nan, new[] { 1.0, 0.5, double.NaN, 0.1 }, "loss"));
            Assert.Equal((2, -1), nan.StoppedAt);
            Assert.Contains("NaN", run.Context.StopReason);
        }
        using (var run = new ScriptedTraining())
            Assert.Equal(2, run.Run(new TerminateOnNaN(), new[] { 1.0, double.PositiveInfinity, 0.1 }, "loss"));
        using (var run = new ScriptedTraining())
            Assert.Equal(3, run.Run(new TerminateOnNaN(), new[] { 1.0, 0.5, 0.1 }, "loss"));
    }
}
