using F = XRay.Torch.torch.nn.functional;

namespace XRay.Torch.Tests;

/// <summary>Ops against values computed by hand.</summary>
public class functionalTests
{
    // 0..24 as a (1, 1, 5, 5) image.
    private static Tensor Ramp5x5() => arange(25, ScalarType.Float32).reshape(1, 1, 5, 5);

    [Fact]
    public void Conv2d_with_a_box_kernel_sums_each_window()
    {
        using var x = Ramp5x5();
        using var w = ones(1, 1, 3, 3);
        using var b = tensor(new float[] { 1 });
        using var y = F.conv2d(x, w, b);
        Assert.Equal(new long[] { 1, 1, 3, 3 }, y.shape);
        // Window at (0,0) is 0+1+2+5+6+7+10+11+12 = 54; one column right adds 9, one row down adds 45.
        Assert.Equal(new float[] { 55, 64, 73, 100, 109, 118, 145, 154, 163 }, y.ToArray<float>());
    }

    [Fact]
    public void Conv2d_with_stride_and_padding()
    {
        using var x = Ramp5x5();
        using var w = ones(1, 1, 3, 3);
        using var y = F.conv2d(x, w, stride: (2, 2), padding: (1, 1));
        // Centres (0,0),(0,2),(0,4),(2,0)... with zero padding, e.g. (0,0) = 0+1+5+6 = 12.
        Assert.Equal(new float[] { 12, 27, 24, 63, 108, 81, 72, 117, 84 }, y.ToArray<float>());
    }

    [Fact]
    public void Conv2d_edge_kernel_and_depthwise_groups()
    {
        using var x = Ramp5x5();
        // Each row contributes x - (x + 2) = -2, three rows give -6 everywhere.
        using var edge = tensor(new float[] { 1, 0, -1, 1, 0, -1, 1, 0, -1 }, new long[] { 1, 1, 3, 3 });
        using var y = F.conv2d(x, edge);
        Assert.All(y.ToArray<float>(), v => Assert.Equal(-6f, v));

        // Depthwise: two channels, each with its own 1x1 kernel (x2 and x-1).
        using var two = cat(new[] { x, x }, 1);
        using var dw = tensor(new float[] { 2, -1 }, new long[] { 2, 1, 1, 1 });
        using var z = F.conv2d(two, dw, groups: 2);
        using var c0 = z[0, 0];
        using var c1 = z[0, 1];
        using var x0 = x[0, 0];
        using var twice = x0 * 2;
        using var negated = -x0;
        Assert.Equal(twice.ToArray<float>(), c0.ToArray<float>());
        Assert.Equal(negated.ToArray<float>(), c1.ToArray<float>());
    }

    [Fact]
    public void Max_and_average_pooling()
    {
        using var x = tensor(new float[] { 1, 5, 2, 0, 3, 4, 8, 1, 0, 2, 7, 6, 9, 1, 3, 4 }, new long[] { 1, 1, 4, 4 });
        using var mp = F.max_pool2d(x, 2);
        Assert.Equal(new float[] { 5, 8, 9, 7 }, mp.ToArray<float>());
        using var ap = F.avg_pool2d(x, 2);
        Assert.Equal(new float[] { 13f / 4, 11f / 4, 12f / 4, 20f / 4 }, ap.ToArray<float>());
        using var gmax = F.adaptive_max_pool2d(x, (1, 1));
        Assert.Equal(new float[] { 9 }, gmax.ToArray<float>());
        using var gavg = F.adaptive_avg_pool2d(x, (1, 1));
        Assert.Equal(56f / 16, gavg.item<float>(), 5);
        using var ceil = F.max_pool2d(tensor(new float[] { 1, 2, 3 }, new long[] { 1, 1, 1, 3 }), (1, 2), ceil_mode: true);
        Assert.Equal(new float[] { 2, 3 }, ceil.ToArray<float>());
    }

    [Fact]
    public void Linear_is_x_times_w_transposed_plus_b()
    {
        using var x = tensor(new float[] { 1, 2, 3 }, new long[] { 1, 3 });
        using var w = tensor(new float[] { 1, 0, -1, 2, 1, 0 }, new long[] { 2, 3 });
        using var b = tensor(new float[] { 0.5f, -1 });
        using var y = F.linear(x, w, b);
        Assert.Equal(new float[] { -1.5f, 3 }, y.ToArray<float>());
    }

    [Fact]
    public void Cross_entropy_plain_and_class_weighted()
    {
        using var logits = tensor(new float[] { 1, 2, 3, 0, 0, 0 }, new long[] { 2, 3 });
        using var target = tensor(new long[] { 2, 0 });
        // -log softmax: 0.40760596 for row 0 (class 2), ln 3 = 1.09861229 for row 1.
        using var ce = F.cross_entropy(logits, target);
        Assert.Equal(0.75310913f, ce.item<float>(), 6);
        using var weights = tensor(new float[] { 1, 1, 2 });
        using var wce = F.cross_entropy(logits, target, weights);
        Assert.Equal((2 * 0.40760596f + 1.09861229f) / 3, wce.item<float>(), 6);
        using var none = F.cross_entropy(logits, target, reduction: torch.nn.Reduction.None);
        TestData.Close(new[] { 0.40760596f, 1.09861229f }, none.ToArray<float>(), 1e-6);
        using var nll = F.nll_loss(logits.log_softmax(1), target);
        Assert.Equal(ce.item<float>(), nll.item<float>(), 6);
    }

    [Fact]
    public void Binary_losses_and_mse()
    {
        using var logits = tensor(new float[] { 0, 2 });
        using var target = tensor(new float[] { 1, 0 });
        // -(log σ(0) + log(1 - σ(2))) / 2 = (0.69314718 + 2.12692801) / 2
        using var bce = F.binary_cross_entropy_with_logits(logits, target);
        Assert.Equal(1.41003760f, bce.item<float>(), 5);
        using var probs = logits.sigmoid();
        using var bce2 = F.binary_cross_entropy(probs, target);
        Assert.Equal(bce.item<float>(), bce2.item<float>(), 5);
        using var mse = F.mse_loss(tensor(new float[] { 1, 3 }), tensor(new float[] { 2, 1 }));
        Assert.Equal(2.5f, mse.item<float>());
    }

    [Fact]
    public void Activations_and_dropout()
    {
        using var x = tensor(new double[] { -1, 0, 1 });
        using var gelu = F.gelu(x);
        TestData.Close(new[] { -0.15865525, 0, 0.84134475 }, gelu.ToArray<double>(), 1e-7);
        using var leaky = F.leaky_relu(x, 0.1);
        TestData.Close(new[] { -0.1, 0, 1 }, leaky.ToArray<double>(), 1e-12);

        manual_seed(0);
        using var big = ones(10000);
        using var dropped = F.dropout(big, 0.2, training: true);
        var values = dropped.ToArray<float>();
        Assert.All(values, v => Assert.True(v == 0 || Math.Abs(v - 1.25f) < 1e-6));
        Assert.InRange(values.Count(v => v == 0) / 10000.0, 0.17, 0.23);
        using var eval = F.dropout(big, 0.2, training: false);
        Assert.All(eval.ToArray<float>(), v => Assert.Equal(1f, v));
        Assert.Throws<ArgumentException>(() => F.dropout(big, 1.5));
    }

    [Fact]
    public void Shape_mismatches_in_conv2d_and_linear_name_the_problem()
    {
        using var x = zeros(1, 1, 10, 10);
        using var w = zeros(4, 3, 3, 3);
        var e = Assert.Throws<TorchException>(() => F.conv2d(x, w));
        Assert.Contains("channels", e.Message);

        using var v = zeros(2, 10);
        using var lw = zeros(3, 5);
        var e2 = Assert.Throws<TorchException>(() => F.linear(v, lw));
        Assert.Contains("cannot be multiplied", e2.Message);
        Assert.Contains("2x10", e2.Message);

        using var tooSmall = zeros(1, 1, 2, 2);
        using var k = zeros(1, 1, 3, 3);
        Assert.Throws<TorchException>(() => F.conv2d(tooSmall, k));
    }
}
