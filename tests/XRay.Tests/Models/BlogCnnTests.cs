using XRay.Models;
using static TorchSharp.torch;

namespace XRay.Tests.Models;

public class BlogCnnTests
{
    [Fact]
    public void Parameter_counts_at_255_match_the_blog()
    {
        using var sigmoid = new BlogCnn(3, 255, 255, classes: 2);
        using var softmax = new BlogCnn(3, 255, 255, classes: 3);
        Assert.Equal(1, sigmoid.OutputUnits);
        Assert.Equal(3_706_049, ModelSummary.Create(sigmoid, 3, 255, 255).TotalParameters);
        Assert.Equal(3_706_307, ModelSummary.Create(softmax, 3, 255, 255).TotalParameters);
    }

    [Fact]
    public void Accepts_any_size_and_channel_count()
    {
        using var model = new BlogCnn(1, 40, 52, classes: 4);
        model.eval();
        using var x = rand(2, 1, 40, 52);
        using var y = model.call(x);
        Assert.Equal(new long[] { 2, 4 }, y.shape);
        Assert.Throws<ArgumentException>(() => new BlogCnn(1, 10, 10, 2)); // too small for three conv + pool blocks
    }
}
