using XRay.Training.Experiments;

namespace XRay.Tests.Training.Experiments;

public class MajorityClassTests
{
    [Fact]
    public void Majority_is_the_largest_class_share()
    {
        Assert.Equal(9.0 / 16, MajorityClass.Accuracy(new[] { 3, 9, 4 }));
        Assert.Equal(0.5, MajorityClass.Accuracy(new[] { 5, 5 }));
        Assert.Equal(428.0 / 588, MajorityClass.Seed003Test);
        Assert.Throws<ArgumentException>(() => MajorityClass.Accuracy(new[] { 0, 0 }));
    }
}
