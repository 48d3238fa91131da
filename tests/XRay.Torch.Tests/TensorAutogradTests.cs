using XRay.Torch.Modules;
using F = XRay.Torch.torch.nn.functional;

namespace XRay.Torch.Tests;

public class TensorAutogradTests
{
    [Fact]
    public void Backward_fills_grad_of_leaves()
    {
        using var x = tensor(new double[] { 1, 2, 3 }, requires_grad: true);
        Assert.True(x.requires_grad);
        Assert.True(x.is_leaf);
        Assert.Null(x.grad);
        using var y = (x * x).sum(); // d/dx = 2x
        Assert.False(y.is_leaf);
        y.backward();
        using var g = x.grad!;
        Assert.Equal(new double[] { 2, 4, 6 }, g.ToArray<double>());
        x.zero_grad();
        using var g0 = x.grad!;
        Assert.Equal(new double[] { 0, 0, 0 }, g0.ToArray<double>());
    }

    [Fact]
    public void Detach_and_clone()
    {
        using var x = tensor(new float[] { 1, 2 }, requires_grad: true);
        using var d = x.detach();
        Assert.False(d.requires_grad);
        using var c = x.clone();
        Assert.True(c.requires_grad);
        Assert.False(c.is_leaf);
        d.fill_(5); // detach shares storage
        Assert.Equal(new float[] { 5, 5 }, x.ToArray<float>());
    }

    [Fact]
    public void No_grad_and_inference_mode_scopes()
    {
        using var x = ones(new long[] { 2 }, requires_grad: true);
        Assert.True(is_grad_enabled());
        using (no_grad())
        {
            Assert.False(is_grad_enabled());
            using var y = x * 2;
            Assert.False(y.requires_grad);
            using (enable_grad())
            {
                using var z = x * 2;
                Assert.True(z.requires_grad);
            }
        }
        Assert.True(is_grad_enabled());
        using (inference_mode())
        {
            Assert.True(is_inference_mode_enabled());
            using var y = x * 2;
            Assert.False(y.requires_grad);
        }
        Assert.False(is_inference_mode_enabled());
    }

    /// <summary>Analytic gradients of conv + linear against central finite differences, in float64.</summary>
    [Fact]
    public void Gradients_of_a_conv_linear_net_match_finite_differences()
    {
        manual_seed(7);
        using var input = randn(new long[] { 2, 1, 5, 5 }, ScalarType.Float64);
        using var convW = randn(new long[] { 2, 1, 3, 3 }, ScalarType.Float64, requires_grad: true);
        using var convB = randn(new long[] { 2 }, ScalarType.Float64, requires_grad: true);
        using var linW = randn(new long[] { 1, 18 }, ScalarType.Float64, requires_grad: true);
        using var linB = randn(new long[] { 1 }, ScalarType.Float64, requires_grad: true);

        double Loss()
        {
            using var scope = NewDisposeScope();
            var h = F.conv2d(input, convW, convB).tanh();          // (2, 2, 3, 3)
            var o = F.linear(h.flatten(1), linW, linB);            // (2, 1)
            return o.square().sum().item<double>();
        }

        using (var scope = NewDisposeScope())
        {
            var h = F.conv2d(input, convW, convB).tanh();
            var o = F.linear(h.flatten(1), linW, linB);
            o.square().sum().backward();
        }

        const double eps = 1e-6;
        foreach (var p in new[] { convW, convB, linW, linB })
        {
            using var g = p.grad!;
            var analytic = g.ToArray<double>();
            var accessor = p.data<double>();
            for (var i = 0; i < accessor.Count; i++)
            {
                var saved = accessor[i];
                accessor[i] = saved + eps;
                var up = Loss();
                accessor[i] = saved - eps;
                var down = Loss();
                accessor[i] = saved;
                var numeric = (up - down) / (2 * eps);
                Assert.True(Math.Abs(numeric - analytic[i]) <= 1e-6 * Math.Max(1, Math.Abs(numeric)),
                    $"parameter element {i}: numeric {numeric}, analytic {analytic[i]}");
            }
        }
    }
}
