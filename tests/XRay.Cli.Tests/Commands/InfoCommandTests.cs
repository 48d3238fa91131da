namespace XRay.Cli.Tests.Commands;

public class InfoCommandTests
{
    /// <summary>`xray info` in a process of its own, with <paramref name="variable"/> set to <paramref name="value"/> (null: unset): the opt-outs are read once per process.</summary>
    private static string Info(string variable, string? value)
    {
        var (code, output, error) = CliRunner.RunProcess(new Dictionary<string, string?> { [variable] = value }, "info");
        Assert.True(code == 0, error);
        return output;
    }

    [Fact]
    public void Says_where_dropout_draws_its_noise_and_how_to_opt_out()
    {
        Assert.Contains("dropout noise: drawn on every core (XRAY_DROPOUT_NOISE=0: libtorch's bernoulli_)", Info("XRAY_DROPOUT_NOISE", null));
        Assert.Contains("dropout noise: libtorch's bernoulli_ (XRAY_DROPOUT_NOISE=0)", Info("XRAY_DROPOUT_NOISE", "0"));
    }

    [Fact]
    public void Says_whether_relu_and_max_pooling_run_as_one_op_and_on_which_threads_our_kernels_run()
    {
        var info = Info("XRAY_FUSED_POOL", null);
        Assert.Contains("ReLU + max pooling: one op while training on the CPU (XRAY_FUSED_POOL=0: libtorch's, layer by layer)", info);
        Assert.Matches(@"our kernels' threads: libtorch's OpenMP threads \(libgomp[^)]*\.so[^)]*\)", info);
        Assert.Contains("ReLU + max pooling: libtorch's, layer by layer (XRAY_FUSED_POOL=0)", Info("XRAY_FUSED_POOL", "0"));
    }
}
