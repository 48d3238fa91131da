using TorchSharp;
using XRay.Runtime;
using static TorchSharp.torch;

namespace XRay.Tests.Runtime;

public class ReluMaxPoolTests
{
    public static TheoryData<ScalarType, long[], int> Shapes => new()
    {
        // dtype, (N, C, H, W), kernel: whole vectors of channels, a remainder of channels (37), odd sizes whose last
        // row and column fill no window, a 3 x 3 window, and one channel.
        { ScalarType.BFloat16, new long[] { 4, 32, 12, 10 }, 2 },
        { ScalarType.Float32, new long[] { 4, 32, 12, 10 }, 2 },
        { ScalarType.BFloat16, new long[] { 2, 37, 9, 7 }, 2 },
        { ScalarType.Float32, new long[] { 2, 37, 9, 7 }, 2 },
        { ScalarType.BFloat16, new long[] { 3, 16, 11, 13 }, 3 },
        { ScalarType.Float32, new long[] { 3, 8, 11, 13 }, 3 },
        { ScalarType.Float32, new long[] { 2, 1, 6, 6 }, 2 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Gives_libtorchs_relu_then_max_pooling_and_its_gradient(ScalarType dtype, long[] shape, int kernel)
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        // Halves: many ties inside a window, exact zeros, and windows with nothing positive.
        var x = (randn(shape) * 2).round().div(2).to(dtype).ToChannelsLast();
        var outShape = new[] { shape[0], shape[1], shape[2] / kernel, shape[3] / kernel };
        var g = randn(outShape).to(dtype).ToChannelsLast();

        var (expected, expectedGrad) = Libtorch(x, g, kernel);
        var (y, index) = ReluMaxPool.Forward(x, kernel);
        var grad = ReluMaxPool.Backward(g, index, shape, kernel);

        AssertSame(expected, y);
        AssertSame(expectedGrad, grad);
        Assert.True(y.IsChannelsLast() && grad.IsChannelsLast());
        Assert.Equal(dtype, y.dtype);
        Assert.Equal(dtype, grad.dtype);
        Assert.True(y.eq(0).any().item<bool>() && grad.eq(0).any().item<bool>()); // the data had what the comment says
    }

    [Theory]
    [InlineData(ScalarType.BFloat16)]
    [InlineData(ScalarType.Float32)]
    public void A_NaN_wins_its_window_and_takes_the_gradient_as_in_libtorch(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        var x = randn(2, 40, 6, 8).to(dtype).ToChannelsLast();
        var negativeNaN = float.NaN; // .NET's NaN has its sign bit set, as x86's arithmetic makes them
        var positiveNaN = BitConverter.Int32BitsToSingle(0x7FC00000);
        Assert.True(float.IsNegative(negativeNaN) && !float.IsNegative(positiveNaN));
        x[0, 3, 0, 0] = tensor(negativeNaN).to(dtype);
        x[0, 3, 1, 1] = tensor(positiveNaN).to(dtype); // two NaNs in one window
        x[1, 39, 4, 7] = tensor(positiveNaN).to(dtype);
        x[1, 0, 2, 2] = tensor(negativeNaN).to(dtype);
        x[1, 1, 0, 0] = tensor(float.PositiveInfinity).to(dtype);
        var g = randn(2, 40, 3, 4).to(dtype).ToChannelsLast();

        var (expected, expectedGrad) = Libtorch(x, g, 2);
        var (y, index) = ReluMaxPool.Forward(x, 2);
        var grad = ReluMaxPool.Backward(g, index, x.shape, 2);

        Assert.Equal(3, y.isnan().sum().item<long>()); // three windows hold a NaN
        AssertSame(expected, y);
        AssertSame(expectedGrad, grad);
    }

    [Theory]
    [InlineData(ScalarType.BFloat16)]
    [InlineData(ScalarType.Float32)]
    public void Nothing_positive_gives_zero_and_no_gradient(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var x = -rand(2, 24, 4, 4).to(dtype);
        x[0, 0, 0, 0] = tensor(-0.0f).to(dtype);
        x[0, 1, 0, 0] = tensor(0.0f).to(dtype);
        x[1, 2, 2, 2] = tensor(float.NegativeInfinity).to(dtype);
        x = x.ToChannelsLast();
        var (y, index) = ReluMaxPool.Forward(x, 2);
        var grad = ReluMaxPool.Backward(ones(2, 24, 2, 2, dtype: dtype).ToChannelsLast(), index, x.shape, 2);
        Assert.True(y.eq(0).all().item<bool>());
        Assert.True(grad.eq(0).all().item<bool>());
        Assert.True(index.eq(ReluMaxPool.NoGradient).all().item<bool>());
    }

    [Fact]
    public void Takes_the_gradient_in_either_layout()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var x = randn(2, 24, 8, 6).ToChannelsLast();
        var g = randn(2, 24, 4, 3); // contiguous (N, C, H, W), as a loss's gradient may come
        var (_, index) = ReluMaxPool.Forward(x, 2);
        AssertSame(Libtorch(x, g, 2).Grad, ReluMaxPool.Backward(g, index, x.shape, 2));
    }

    [Theory]
    [InlineData(ScalarType.BFloat16, 2)]
    [InlineData(ScalarType.Float32, 3)]
    public void The_differentiable_backward_gives_the_same_gradient(ScalarType dtype, int kernel)
    {
        using var scope = NewDisposeScope();
        manual_seed(6);
        var x = randn(2, 20, 10, 11).to(dtype).ToChannelsLast();
        var g = randn(2, 20, 10 / kernel, 11 / kernel).to(dtype);
        g[0, 0, 0, 0] = tensor(float.PositiveInfinity).to(dtype); // must not spread to the window's other values
        g[1, 5, 1, 1] = tensor(float.NaN).to(dtype);
        var (_, index) = ReluMaxPool.Forward(x, kernel);
        AssertSame(ReluMaxPool.Backward(g, index, x.shape, kernel), ReluMaxPool.DifferentiableBackward(g, index, x.shape, kernel));
    }

    [Fact]
    public void Says_what_it_handles_and_names_what_it_got()
    {
        using var scope = NewDisposeScope();
        var channelsLast = randn(2, 8, 6, 6).ToChannelsLast();
        Assert.True(ReluMaxPool.Handles(channelsLast, 2));
        Assert.True(ReluMaxPool.Handles(channelsLast.to(ScalarType.BFloat16), 3));
        Assert.True(ReluMaxPool.Handles(randn(2, 1, 6, 6), 2)); // one channel: both layouts are the same
        Assert.False(ReluMaxPool.Handles(randn(2, 8, 6, 6), 2)); // (N, C, H, W) in memory
        Assert.False(ReluMaxPool.Handles(channelsLast.to(ScalarType.Float16), 2));
        Assert.False(ReluMaxPool.Handles(channelsLast.to(ScalarType.Float64), 2));
        Assert.False(ReluMaxPool.Handles(channelsLast, 0));
        Assert.False(ReluMaxPool.Handles(channelsLast, ReluMaxPool.MaxKernel + 1));
        Assert.False(ReluMaxPool.Handles(channelsLast, 7)); // larger than the image
        Assert.False(ReluMaxPool.Handles(randn(8, 6, 6), 2));

        var e = Assert.Throws<ArgumentException>(() => ReluMaxPool.Forward(randn(2, 8, 6, 6), 2));
        Assert.Contains("strides [288, 36, 6, 1]", e.Message);
        var (_, index) = ReluMaxPool.Forward(channelsLast, 2);
        e = Assert.Throws<ArgumentException>(() => ReluMaxPool.Backward(randn(2, 8, 2, 2), index, channelsLast.shape, 2));
        Assert.Contains("[2, 8, 3, 3]", e.Message);
    }

    [Fact]
    public void Xray_info_says_whether_it_runs()
    {
        Assert.Equal(Environment.GetEnvironmentVariable("XRAY_FUSED_POOL") != "0", ReluMaxPool.Enabled);
        Assert.Equal(ReluMaxPool.Describe(), TorchRuntime.Describe()["ReLU + max pooling"]);
        Assert.Equal(TorchThreads.Describe(), TorchRuntime.Describe()["our kernels' threads"]);
    }

    private static (Tensor Output, Tensor Grad) Libtorch(Tensor x, Tensor g, int kernel)
    {
        var input = x.detach().requires_grad_();
        var y = nn.functional.max_pool2d(nn.functional.relu(input), kernel);
        y.backward(new[] { g });
        return (y.detach(), input.grad!);
    }

    /// <summary>Same shape and values, NaN where the other has NaN (compared in float64, which holds both types exactly).</summary>
    private static void AssertSame(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        var (e, a) = (expected.to(ScalarType.Float64), actual.to(ScalarType.Float64));
        Assert.True(e.isnan().equal(a.isnan()).all().item<bool>(), "NaNs differ");
        Assert.True(e.nan_to_num(0).equal(a.nan_to_num(0)).all().item<bool>(),
            $"{e.nan_to_num(0).ne(a.nan_to_num(0)).sum().item<long>()} of {e.numel()} values differ");
    }
}
