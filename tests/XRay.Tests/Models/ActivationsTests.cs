using TorchSharp.Modules;
using XRay.Models;
using static TorchSharp.torch;

namespace XRay.Tests.Models;

public class ActivationsTests
{
    [Fact]
    public void Capture_returns_each_selected_layers_output_in_order_and_restores_the_model()
    {
        using var model = ModelFactory.Create(ModelFactory.BlogCnnArch, 1, 32, 32, 2, seed: 0);
        model.train();
        using var x = rand(1, 1, 32, 32);
        var maps = Activations.Capture(model, x, m => m is Conv2d or MaxPool2d);
        try
        {
            Assert.Equal(new[] { "Conv2d", "MaxPool2d", "Conv2d", "MaxPool2d", "Conv2d", "MaxPool2d" },
                maps.Select(m => m.Layer.Split(' ')[1]));
            Assert.Equal(new long[] { 1, 32, 30, 30 }, maps[0].Output.shape);  // 32 - 2
            Assert.Equal(new long[] { 1, 32, 2, 2 }, maps[^1].Output.shape);   // 30 -> 15 -> 13 -> 6 -> 4 -> 2
            Assert.True(model.training, "the model's mode is restored");
            Assert.All(maps, m => Assert.False(m.Output.IsInvalid)); // the caller owns them
        }
        finally
        {
            foreach (var m in maps) m.Output.Dispose();
        }
    }
}
