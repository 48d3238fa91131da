namespace XRay.Cli.Tests.Commands;

public class InfoCommandTests
{
    /// <summary>`xray info` in a process of its own, with XRAY_DROPOUT_NOISE set to <paramref name="dropoutNoise"/> (null: unset): it is read once per process.</summary>
    private static string Info(string? dropoutNoise)
    {
        var (code, output, error) = CliRunner.RunProcess(new Dictionary<string, string?> { ["XRAY_DROPOUT_NOISE"] = dropoutNoise }, "info");
        Assert.True(code == 0, error);
        return output;
    }

    [Fact]
    public void Says_where_dropout_draws_its_noise_and_how_to_opt_out()
    {
        Assert.Contains("dropout noise: drawn on every core (XRAY_DROPOUT_NOISE=0: libtorch's bernoulli_)", Info(null));
        Assert.Contains("dropout noise: libtorch's bernoulli_ (XRAY_DROPOUT_NOISE=0)", Info("0"));
    }
}
