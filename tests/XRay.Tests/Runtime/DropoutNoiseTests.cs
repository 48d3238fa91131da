using TorchSharp;
using XRay.Runtime;
using static TorchSharp.torch;

namespace XRay.Tests.Runtime;

public class DropoutNoiseTests
{
    [Fact]
    public void Neighbouring_values_and_blocks_are_independent()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        var n = 4 * DropoutNoise.BlockValues;
        var kept = DropoutNoise.Draw(ones(n), 0.5).ne(0).to(ScalarType.Float64);
        var centred = kept - 0.5;
        // Correlation of a value with the next (the other half of the same draw, or the next draw) and with the same
        // position one block later (another stream): near 0, where repeated or shared streams would give near 1.
        foreach (var lag in new long[] { 1, 2, DropoutNoise.BlockValues })
        {
            var a = centred[TensorIndex.Slice(0, n - lag)];
            var b = centred[TensorIndex.Slice(lag, null)];
            var correlation = (a * b).mean().item<double>() / 0.25;
            Assert.InRange(correlation, -0.02, 0.02);
        }
    }

    [Fact]
    public void The_seed_repeats_the_noise_whatever_the_thread_count()
    {
        using var scope = NewDisposeScope();
        var threads = get_num_threads();
        try
        {
            var x = ones(3 * DropoutNoise.BlockValues + 17);
            manual_seed(11);
            set_num_threads(1);
            var one = DropoutNoise.Draw(x, 0.3);
            manual_seed(11);
            set_num_threads(2);
            var two = DropoutNoise.Draw(x, 0.3);
            var next = DropoutNoise.Draw(x, 0.3);
            manual_seed(12);
            var other = DropoutNoise.Draw(x, 0.3);
            Assert.True(one.equal(two).all().item<bool>());
            Assert.False(two.equal(next).all().item<bool>()); // each call draws a new seed from libtorch's generator
            Assert.False(two.equal(other).all().item<bool>());
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    [Fact]
    public void Only_0_opts_out_and_xray_info_says_which_noise_runs()
    {
        Assert.True(DropoutNoise.OptsOut("0"));
        Assert.False(DropoutNoise.OptsOut(null));
        Assert.False(DropoutNoise.OptsOut("1"));
        var opted = Environment.GetEnvironmentVariable("XRAY_DROPOUT_NOISE") == "0";
        Assert.Equal(!opted, DropoutNoise.Enabled);
        Assert.Equal(DropoutNoise.Describe(), TorchRuntime.Describe()["dropout noise"]);
        Assert.StartsWith(opted ? "libtorch's bernoulli_" : "drawn on every core", DropoutNoise.Describe());
    }
}
