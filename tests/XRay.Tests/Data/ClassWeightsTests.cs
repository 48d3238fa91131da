using XRay.Data;

namespace XRay.Tests.Data;

public class ClassWeightsTests
{
    [Fact]
    public void Inverse_frequency_matches_sklearn_balanced()
    {
        // The blog's training counts: n = 5144, k = 3 -> 5144 / (3 * n_c).
        var w = ClassWeights.InverseFrequency(new[] { 1266, 460, 3418 });
        Assert.Equal(5144.0 / (3 * 1266), w[0], 12);
        Assert.Equal(5144.0 / (3 * 460), w[1], 12);
        Assert.Equal(5144.0 / (3 * 3418), w[2], 12);
        // 4 / (2 * 4) = 0.5; an empty class gets 0.
        Assert.Equal(new[] { 0.5, 0.0 }, ClassWeights.InverseFrequency(new[] { 4, 0 }));
    }
}
