namespace XRay.Bench.Tests;

public class TimingTests
{
    [Fact]
    public void Intervals_start_after_the_warm_up_and_leave_no_step_untimed()
    {
        // Steps end at these seconds; 1 warm-up step, then intervals of 2 steps of batch 4 (8 images).
        var ends = new[] { 1.0, 2.0, 3.0, 5.0, 6.0, 8.0, 9.0 };
        var rates = Timing.IntervalRates(ends, warmup: 1, steps: 2, batch: 4);
        Assert.Equal(new[] { 8 / 2.0, 8 / 3.0, 8 / 3.0 }, rates);
    }

    [Fact]
    public void Median_of_odd_and_even_counts()
    {
        Assert.Equal(3, Timing.Median(new[] { 5.0, 1, 3 }));
        Assert.Equal(2.5, Timing.Median(new[] { 4.0, 1, 2, 3 }));
        Assert.Equal(0, Timing.Median(Array.Empty<double>()));
    }
}
