using XRay.Models;
using static TorchSharp.torch;

namespace XRay.Tests.Models;

public class ConfigurableCnnTests
{
    [Fact]
    public void Options_shape_the_network_and_l1_l2_penalize_every_kernel()
    {
        var options = new CnnOptions { Filters = new[] { 4, 8 }, ConvsPerBlock = 2, BatchNorm = true, Dropout = 0.05, Dense = new[] { 16 }, L1 = 1e-3, L2 = 1e-2 };
        using var model = new ConfigurableCnn(new ModelSpec("cnn", 1, 16, 16, 3) { Cnn = options });
        var summary = ModelSummary.Create(model, 1, 16, 16);
        Assert.Equal(4, summary.Layers.Count(l => l.Type == "Conv2d"));
        Assert.Equal(4, summary.Layers.Count(l => l.Type == "BatchNorm2d"));
        Assert.Equal("(None, 8, 4, 4)", summary.Layers.Last(l => l.Type == "MaxPool2d").OutputShapeText);

        var kernels = Regularization.Kernels(model).ToList();
        Assert.Equal(6, kernels.Count); // 4 conv + 2 dense weights, no biases or BN scales
        double expected = 0;
        foreach (var w in kernels)
            foreach (var v in w.detach().cpu().data<float>().ToArray())
                expected += 1e-3 * Math.Abs(v) + 1e-2 * v * v;
        using var penalty = model.RegularizationLoss()!;
        Assert.Equal(expected, penalty.item<float>(), 4);
    }

    [Fact]
    public void Mlp_defaults_and_options()
    {
        using var mlp = new Mlp(new ModelSpec("mlp", 1, 8, 8, 2) { Mlp = new MlpOptions { Hidden = new[] { 10 }, Dropout = 0.1 } });
        Assert.Equal(64 * 10 + 10 + 10 * 2 + 2, ModelSummary.Create(mlp, 1, 8, 8).TotalParameters);
    }
}
