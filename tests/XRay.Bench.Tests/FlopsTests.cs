using XRay.Models;

namespace XRay.Bench.Tests;

public class FlopsTests
{
    [Fact]
    public void Forward_at_150px_RGB_counts_each_layer_by_hand()
    {
        // 150 -conv-> 148 -pool-> 74 -conv-> 72 -pool-> 36 -conv-> 34 -pool-> 17; dense 32*17*17 -> 128 -> 1.
        var expected = 2.0 * 3 * 9 * 32 * 148 * 148
                       + 2.0 * 32 * 9 * 32 * 72 * 72
                       + 2.0 * 32 * 9 * 32 * 34 * 34
                       + 2.0 * 32 * 17 * 17 * 128
                       + 2.0 * 128 * 1;
        Assert.Equal(expected, Flops.BlogCnnForward(3, 150));
        Assert.Equal(3 * expected, Flops.BlogCnnTrainStep(3, 150));
    }

    [Theory]
    [InlineData(1, 150)]
    [InlineData(3, 150)]
    [InlineData(3, 255)]
    public void The_shapes_counted_are_the_model_s(int channels, int size)
    {
        // The parameter count follows from the same layer shapes the FLOPs do, so it checks them against BlogCnn itself.
        using var model = ModelFactory.Create(ModelFactory.BlogCnnArch, channels, size, size, 2);
        var conv = (channels * 9 * 32 + 32) + 2 * (32 * 9 * 32 + 32);
        var dense = Flops.FlattenedFeatures(size) * 128 + 128 + 128 + 1;
        Assert.Equal(conv + dense, model.parameters().Sum(p => p.numel()));
    }
}
