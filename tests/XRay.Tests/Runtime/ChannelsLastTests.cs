using TorchSharp;
using XRay.Models;
using XRay.Runtime;
using static TorchSharp.torch;

namespace XRay.Tests.Runtime;

public class ChannelsLastTests
{
    [Fact]
    public void A_batch_gets_nhwc_strides_and_keeps_its_values()
    {
        using var x = rand(2, 3, 5, 7);
        using var y = x.ToChannelsLast();
        Assert.Equal(new long[] { 105, 1, 21, 3 }, y.stride());
        Assert.True(y.IsChannelsLast());
        Assert.False(x.IsChannelsLast());
        Assert.True(x.allclose(y, rtol: 0, atol: 0));
        Assert.Same(y, y.ToChannelsLast()); // already channels-last: no copy
    }

    /// <summary>
    /// Channels-last by default where it was measured faster (the CPU: oneDNN), NCHW on a GPU, where it was not
    /// (bench/README.md, "GPU check"). A Device names a GPU without one being present.
    /// </summary>
    [Fact]
    public void The_default_layout_is_channels_last_on_the_cpu_and_nchw_on_a_gpu()
    {
        Assert.True(ChannelsLast.DefaultFor(CPU));
        Assert.False(ChannelsLast.DefaultFor(new Device("cuda")));
        Assert.False(ChannelsLast.DefaultFor(new Device("cuda:1")));
    }

    /// <summary>As PyTorch's to(memory_format=channels_last): a 1-input-channel kernel gets (9, 1, 3, 1), not NCHW's (9, 9, 3, 1).</summary>
    [Fact]
    [Trait("Category", TestCategories.Parity)]
    public void A_one_input_channel_weight_is_relaid_as_pytorch_does()
    {
        using var w = rand(32, 1, 3, 3);
        using var y = w.ToChannelsLast();
        Assert.Equal(new long[] { 9, 1, 3, 1 }, y.stride());
        var python = XRay.TestSupport.PythonReference.Run(
            "import torch; print(tuple(torch.rand(32, 1, 3, 3).to(memory_format=torch.channels_last).stride()))");
        Assert.Equal("(9, 1, 3, 1)", python);
    }

    [Fact]
    public void A_module_is_relaid_in_place_keeps_its_parameters_and_outputs_nhwc_with_the_same_values()
    {
        manual_seed(1);
        using var model = (BlogCnn)ModelFactory.Create(new ModelSpec(ModelFactory.BlogCnnArch, 1, 32, 32, 2), seed: 1);
        model.eval();
        using var x = rand(2, 1, 32, 32);
        using var before = model.call(x);
        var parameters = model.parameters().ToList();
        using var optimizer = optim.Adam(parameters);
        model.ToChannelsLast();
        Assert.Equal(parameters, model.parameters().ToList()); // same Parameter objects: the optimizer still holds them
        Assert.All(model.parameters().Where(p => p.ndim == 4), p => Assert.True(p.IsChannelsLast()));
        using var after = model.call(x.ToChannelsLast());
        Assert.True(before.allclose(after, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void Other_ranks_are_left_alone()
    {
        using var v = rand(4, 5);
        Assert.Same(v, v.ToChannelsLast());
        Assert.False(v.IsChannelsLast());
    }
    [Fact]
    public void Training_defaults_to_nchw_on_the_cpu_only_for_models_with_depthwise_convolutions()
    {
        using var mobilenet = ModelFactory.Create("mobilenet", 3, 64, 64, 3);
        using var resnet = ModelFactory.Create("resnet18-mlnet", 3, 64, 64, 3);
        Assert.False(ChannelsLast.DefaultFor(CPU, mobilenet)); // channels-last training of it died of SIGFPE
        Assert.True(ChannelsLast.DefaultFor(CPU, resnet));
    }
}
