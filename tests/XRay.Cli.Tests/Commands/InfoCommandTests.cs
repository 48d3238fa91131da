using System.Diagnostics;

namespace XRay.Cli.Tests.Commands;

public class InfoCommandTests
{
    /// <summary>`xray info` in a process of its own, with <paramref name="environment"/> added: the opt-outs are read once per process.</summary>
    private static (int Code, string Out) Info(params (string Name, string Value)[] environment)
    {
        var dll = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "XRay.Cli", Path.GetFileName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)), "XRay.Cli.dll"));
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("info");
        start.Environment.Remove("XRAY_DROPOUT_NOISE");
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var p = Process.Start(start)!;
        var error = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, error.Result);
        return (p.ExitCode, output);
    }

    [Fact]
    public void Says_where_dropout_draws_its_noise_and_how_to_opt_out()
    {
        Assert.Contains("dropout noise: drawn on every core (XRAY_DROPOUT_NOISE=0: libtorch's bernoulli_)", Info().Out);
        Assert.Contains("dropout noise: libtorch's bernoulli_ (XRAY_DROPOUT_NOISE=0)", Info(("XRAY_DROPOUT_NOISE", "0")).Out);
    }
}
