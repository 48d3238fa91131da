using XRay.Torch.Modules;

namespace XRay.Torch.Tests;

public class LayerTests
{
    [Fact]
    public void Conv2d_and_Linear_use_pytorchs_default_init_bounds()
    {
        manual_seed(0);
        using var conv = nn.Conv2d(4, 8, 3);
        var bound = 1 / Math.Sqrt(4 * 9);
        Assert.All(conv.weight.ToArray<float>(), v => Assert.InRange(v, -bound, bound));
        Assert.All(conv.bias!.ToArray<float>(), v => Assert.InRange(v, -bound, bound));
        using var lin = nn.Linear(100, 10, hasBias: false);
        Assert.Null(lin.bias);
        var w = lin.weight.ToArray<float>();
        Assert.All(w, v => Assert.InRange(v, -0.1, 0.1));
        Assert.True(w.Max() > 0.08 && w.Min() < -0.08, "weights should fill the ±1/√fan_in range");
    }

    [Fact]
    public void Depthwise_conv_has_one_filter_per_channel()
    {
        using var dw = nn.Conv2d(16, 16, 3, padding: 1, groups: 16, bias: false);
        Assert.Equal(new long[] { 16, 1, 3, 3 }, dw.weight.shape);
        using var x = randn(1, 16, 8, 8);
        using var y = dw.call(x);
        Assert.Equal(new long[] { 1, 16, 8, 8 }, y.shape);
        Assert.Throws<ArgumentException>(() => nn.Conv2d(16, 8, 3, groups: 3));
    }

    [Fact]
    public void BatchNorm2d_normalizes_in_training_and_uses_running_stats_in_eval()
    {
        using var bn = nn.BatchNorm2d(2, momentum: 0.5);
        manual_seed(5);
        using var x = randn(8, 2, 4, 4) * 3 + 2;
        using var y = bn.call(x);
        using var mean = y.mean(new long[] { 0, 2, 3 });
        using var std = y.std(1, unbiased: false);
        Assert.All(mean.ToArray<float>(), v => Assert.InRange(v, -1e-5, 1e-5));
        Assert.Equal(1L, bn.num_batches_tracked!.item<long>());
        // running_mean moved half-way (momentum 0.5) from 0 towards the batch mean of about 2.
        Assert.All(bn.running_mean!.ToArray<float>(), v => Assert.InRange(v, 0.5, 1.5));

        bn.eval();
        using var ye = bn.call(x);
        using var expected = (x - bn.running_mean.reshape(1, 2, 1, 1)) / (bn.running_var!.reshape(1, 2, 1, 1) + 1e-5).sqrt();
        Assert.True(ye.allclose(expected, 1e-4, 1e-5));
        Assert.Equal(1L, bn.num_batches_tracked.item<long>()); // eval does not count

        var e = Assert.Throws<ArgumentException>(() => bn.call(zeros(2, 2)));
        Assert.Contains("4-D", e.Message);
        Assert.Equal(new[] { "weight", "bias", "running_mean", "running_var", "num_batches_tracked" },
            bn.state_dict().Keys);
    }

    [Fact]
    public void BatchNorm1d_accepts_rank_2()
    {
        using var bn = nn.BatchNorm1d(3);
        using var x = randn(5, 3);
        using var y = bn.call(x);
        Assert.Equal(new long[] { 5, 3 }, y.shape);
        Assert.Throws<ArgumentException>(() => bn.call(zeros(1, 3, 2, 2)));
    }

    [Fact]
    public void Pooling_activation_and_flatten_modules()
    {
        using var x = arange(16, ScalarType.Float32).reshape(1, 1, 4, 4);
        using var mp = nn.MaxPool2d(2).call(x);
        Assert.Equal(new float[] { 5, 7, 13, 15 }, mp.ToArray<float>());
        using var ap = nn.AvgPool2d(2).call(x);
        Assert.Equal(new float[] { 2.5f, 4.5f, 10.5f, 12.5f }, ap.ToArray<float>());
        using var gap = nn.AdaptiveAvgPool2d(1).call(x);
        Assert.Equal(new long[] { 1, 1, 1, 1 }, gap.shape);
        using var gmp = nn.AdaptiveMaxPool2d(1).call(x);
        Assert.Equal(15f, gmp.item<float>());
        using var fl = nn.Flatten().call(x);
        Assert.Equal(new long[] { 1, 16 }, fl.shape);
        using var v = tensor(new float[] { -7, 0.5f, 9 });
        Assert.Equal(new float[] { 0, 0.5f, 9 }, nn.ReLU().call(v).ToArray<float>());
        Assert.Equal(new float[] { 0, 0.5f, 6 }, nn.ReLU6().call(v).ToArray<float>());
        using var sm = nn.Softmax(0).call(v);
        Assert.Equal(1f, sm.sum().item<float>(), 5);
        using var sg = nn.Sigmoid().call(v);
        Assert.InRange(sg.ToArray<float>()[0], 0, 0.001);
        using var ge = nn.GELU().call(v);
        Assert.Equal(9f, ge.ToArray<float>()[2], 4);
        Assert.Throws<ArgumentException>(() => nn.GELU("fast"));
        Assert.Throws<ArgumentOutOfRangeException>(() => nn.Dropout(-0.1));
    }
}
