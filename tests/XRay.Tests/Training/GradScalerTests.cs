using XRay.Training;
using static TorchSharp.torch;

namespace XRay.Tests.Training;

public class GradScalerTests
{
    private static (Tensor W, optim.Optimizer Sgd) Parameter(float value)
    {
        var w = nn.Parameter(full(new long[] { 2 }, value));
        return (w, optim.SGD(new[] { w }, 0.1));
    }

    [Fact]
    public void A_scaled_backward_then_step_moves_the_weights_as_the_unscaled_loss_would()
    {
        using var scope = NewDisposeScope();
        var (w, sgd) = Parameter(1f);
        var scaler = new GradScaler(initialScale: 1024);
        var loss = (w * w).sum();                       // d/dw = 2w = 2

        scaler.ScaleLoss(loss).backward();
        Assert.Equal(2048f, w.grad!.data<float>()[0]);  // scaled
        Assert.True(scaler.Step(sgd, new[] { w }));

        Assert.Equal(2f, w.grad!.data<float>()[0]);     // unscaled before the step
        Assert.Equal(1f - 0.1f * 2f, w.data<float>()[0], 5);
        Assert.Equal(1024, scaler.Scale);
        Assert.Equal(1, scaler.GoodSteps);
    }

    [Fact]
    public void An_overflowing_step_is_skipped_and_the_scale_halved()
    {
        using var scope = NewDisposeScope();
        var (w, sgd) = Parameter(1f);
        var scaler = new GradScaler(initialScale: 1024);
        w.grad = tensor(new[] { float.PositiveInfinity, 1f });

        Assert.False(scaler.Step(sgd, new[] { w }));

        Assert.Equal(new[] { 1f, 1f }, w.data<float>().ToArray()); // untouched
        Assert.Equal(512, scaler.Scale);
        Assert.Equal(1, scaler.SkippedSteps);
        Assert.Equal(0, scaler.GoodSteps);

        w.grad = tensor(new[] { float.NaN, 1f });
        Assert.False(scaler.Step(sgd, new[] { w }));
        Assert.Equal(256, scaler.Scale);
    }

    [Fact]
    public void The_scale_doubles_after_the_growth_interval_of_good_steps()
    {
        var scaler = new GradScaler(initialScale: 8, growthInterval: 3);
        scaler.Update(true);
        scaler.Update(true);
        Assert.Equal(8, scaler.Scale);
        scaler.Update(true);
        Assert.Equal(16, scaler.Scale);
        Assert.Equal(0, scaler.GoodSteps);
        scaler.Update(true);
        scaler.Update(false);   // an overflow resets the count
        scaler.Update(true);
        scaler.Update(true);
        Assert.Equal(8, scaler.Scale);
    }

    [Fact]
    public void Bad_settings_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new GradScaler(initialScale: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GradScaler(growthFactor: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GradScaler(backoffFactor: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GradScaler(growthInterval: 0));
    }
}
