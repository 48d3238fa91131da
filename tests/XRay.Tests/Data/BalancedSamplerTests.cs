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

    [Fact]
    public void Equal_per_class_takes_exactly_the_count_from_each_class_without_repeats_while_it_can()
    {
        var labels = Enumerable.Repeat(0, 50).Concat(Enumerable.Repeat(1, 20)).Concat(Enumerable.Repeat(2, 8)).ToList();
        var picks = BalancedSampler.EqualPerClass(labels, 3, 10, new Random(4));
        Assert.Equal(new[] { 10, 10, 10 }, Enumerable.Range(0, 3).Select(c => picks.Count(i => labels[i] == c)));
        Assert.Equal(10, picks.Where(i => labels[i] == 0).Distinct().Count()); // enough images: no repeats
        Assert.Equal(8, picks.Where(i => labels[i] == 2).Distinct().Count());  // 8 images: each once, then 2 repeats
        Assert.Equal(picks, BalancedSampler.EqualPerClass(labels, 3, 10, new Random(4)));
        Assert.NotEqual(picks, BalancedSampler.EqualPerClass(labels, 3, 10, new Random(5)));
        Assert.Throws<ArgumentOutOfRangeException>(() => BalancedSampler.EqualPerClass(labels, 3, -1, new Random(4)));
    }
}
