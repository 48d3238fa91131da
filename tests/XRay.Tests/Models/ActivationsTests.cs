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

    /// <summary>
    /// BlogCnn's ReLUs run in place (one 90 MB activation less per step at 150², batch 32), so a convolution's output
    /// tensor is overwritten by the ReLU after it. What Capture hands out is a copy taken when the layer ran: the
    /// convolution's maps keep their negative values, and the ReLU's are exactly their positive part.
    /// </summary>
    [Fact]
    public void A_captured_convolution_output_is_not_changed_by_the_in_place_relu_after_it()
    {
        using var model = ModelFactory.Create(ModelFactory.BlogCnnArch, 1, 32, 32, 2, seed: 0);
        using var x = randn(1, 1, 32, 32);
        var maps = Activations.Capture(model, x, m => m is Conv2d or ReLU);
        try
        {
            Assert.Equal("Conv2d", maps[0].Layer.Split(' ')[1]);
            Assert.Equal("ReLU", maps[1].Layer.Split(' ')[1]);
            var conv = maps[0].Output;
            Assert.True(conv.lt(0).any().item<bool>(), "the convolution's captured output has negative values");
            Assert.True(maps[1].Output.eq(conv.relu()).all().item<bool>(), "the ReLU's output is the convolution's positive part");
        }
        finally
        {
            foreach (var m in maps) m.Output.Dispose();
        }
    }
}
