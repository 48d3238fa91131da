using XRay.Data;

namespace XRay.Tests.Data;

public class BalancedSamplerTests
{
    [Fact]
    public void Classes_are_drawn_about_equally_however_imbalanced()
    {
        var labels = Enumerable.Repeat(0, 900).Concat(Enumerable.Repeat(1, 100)).ToList();
        var picks = BalancedSampler.Sample(labels, 2, 10000, new Random(1));
        var rare = picks.Count(i => labels[i] == 1);
        Assert.InRange(rare, 4700, 5300);
        Assert.Equal(picks, BalancedSampler.Sample(labels, 2, 10000, new Random(1)));
    }
}
