using TorchSharp;
using XRay.Runtime;
using static TorchSharp.torch;

namespace XRay.Tests.Runtime;

public class AutocastTests
{
    [Fact]
    public void Inside_a_bf16_scope_conv_and_linear_run_in_bf16_and_the_weights_stay_fp32()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var conv = nn.Conv2d(3, 8, 3).ToChannelsLast();   // channels-last, as the trainer lays out the CPU: see KeepNchwConvolutionsInFp32
        var linear = nn.Linear(8, 4);
        var x = randn(2, 3, 10, 10).ToChannelsLast();
        var fp32 = conv.call(x);

        Tensor convOut, linearOut;
        using (Autocast.Enter(CPU, ScalarType.BFloat16))
        {
            Assert.True(Autocast.IsEnabled(CPU));
            convOut = conv.call(x);
            linearOut = linear.call(convOut.mean(new long[] { 2, 3 }));
        }

        Assert.False(Autocast.IsEnabled(CPU));
        Assert.Equal(ScalarType.BFloat16, convOut.dtype);
        Assert.Equal(ScalarType.BFloat16, linearOut.dtype);
        Assert.Equal(ScalarType.Float32, conv.weight!.dtype);
        Assert.Equal(ScalarType.Float32, conv.call(x).dtype); // off again after the scope
        // bf16 keeps 8 bits of mantissa: the same result to within a few percent of its spread.
        var error = (convOut.to(ScalarType.Float32) - fp32).abs().max().item<float>();
        Assert.True(error < 0.05 * fp32.abs().max().item<float>(), $"max error {error}");
    }

    [Fact]
    public void Nchw_and_one_channel_convolutions_are_kept_in_fp32_inside_a_bf16_scope_and_the_hooks_removed()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        var first = nn.Conv2d(1, 16, 3);   // one input channel: libtorch 2.10's CPU bf16 kernel gets it wrong
        var second = nn.Conv2d(16, 8, 3);
        var model = nn.Sequential(first, second).ToChannelsLast();
        var x = randn(2, 1, 12, 12).ToChannelsLast();
        var fp32First = first.call(x);

        Tensor firstOut, out1;
        using (Autocast.KeepNchwConvolutionsInFp32(model, CPU))
        using (Autocast.Enter(CPU, ScalarType.BFloat16))
        {
            firstOut = first.call(x);
            out1 = model.call(x);     // the second convolution gets the first's channels-last fp32 output
            Assert.True(Autocast.IsEnabled(CPU)); // the hook turned it back on after the small convolution
        }
        Assert.Equal(ScalarType.Float32, firstOut.dtype);
        Assert.True(fp32First.equal(firstOut).all().item<bool>());
        Assert.Equal(ScalarType.BFloat16, out1.dtype); // the 16-channel channels-last convolution still ran in bf16

        using (Autocast.Enter(CPU, ScalarType.BFloat16)) Assert.Equal(ScalarType.BFloat16, first.call(x).dtype); // hooks gone
    }

    [Fact]
    public void Leaving_the_scope_drops_the_cast_weights_so_the_next_step_sees_updated_ones()
    {
        using var scope = NewDisposeScope();
        var linear = nn.Linear(4, 1, hasBias: false);
        using (no_grad()) linear.weight!.fill_(1);
        var x = ones(1, 4);

        using (Autocast.Enter(CPU, ScalarType.BFloat16)) Assert.Equal(4f, linear.call(x).to(ScalarType.Float32).item<float>());
        using (no_grad()) linear.weight!.fill_(2); // what an optimizer step does, in place
        using (Autocast.Enter(CPU, ScalarType.BFloat16)) Assert.Equal(8f, linear.call(x).to(ScalarType.Float32).item<float>());
    }

    [Fact]
    public void Gradients_flow_back_to_fp32_parameters_in_fp32()
    {
        using var scope = NewDisposeScope();
        var linear = nn.Linear(4, 2);
        Tensor y;
        using (Autocast.Enter(CPU, ScalarType.BFloat16)) y = linear.call(randn(3, 4));
        y.to(ScalarType.Float32).sum().backward();
        Assert.Equal(ScalarType.Float32, linear.weight!.grad!.dtype);
        Assert.True(linear.weight.grad.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void Nested_scopes_restore_the_outer_state_and_fp32_is_a_no_op()
    {
        using (Autocast.Enter(CPU, null)) Assert.False(Autocast.IsEnabled(CPU));
        using (Autocast.Enter(CPU, ScalarType.BFloat16))
        {
            using (Autocast.Enter(CPU, ScalarType.BFloat16)) Assert.True(Autocast.IsEnabled(CPU));
            Assert.True(Autocast.IsEnabled(CPU));
        }
        Assert.False(Autocast.IsEnabled(CPU));
        Assert.Throws<ArgumentException>(() => Autocast.Enter(CPU, ScalarType.Float64));
    }
}
