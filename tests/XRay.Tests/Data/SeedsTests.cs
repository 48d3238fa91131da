using XRay.Data;

namespace XRay.Tests.Data;

public class SeedsTests
{
    [Fact]
    public void Epoch_seeds_are_fixed_values_the_same_in_every_process()
    {
        // Pinned: a resumed run in a new process must shuffle exactly like the uninterrupted one.
        Assert.Equal(Seeds.ForEpoch(42, 3), Seeds.ForEpoch(42, 3));
        Assert.Equal(518_650_843, Seeds.ForEpoch(42, 3)); // computed independently in Python
        Assert.NotEqual(Seeds.ForEpoch(42, 3), Seeds.ForEpoch(42, 4));
        Assert.NotEqual(Seeds.ForEpoch(42, 3), Seeds.ForEpoch(43, 3));
        Assert.InRange(Seeds.ForEpoch(-1, int.MaxValue), 0, int.MaxValue);
    }
}
