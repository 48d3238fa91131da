using System.CommandLine;
using XRay.Cli;
using XRay.Synthetic;

namespace XRay.Web.Tests;

/// <summary>
/// One tiny synthetic set (3 classes, 32 px model input) and one 1-epoch `xray train` on it, made once for every test
/// here: the checkpoint the app serves and the test images it is asked about.
/// </summary>
internal sealed class TrainedCheckpoint
{
    private static readonly Lazy<TrainedCheckpoint> Shared = new(() => new TrainedCheckpoint());

    private TrainedCheckpoint()
    {
        Root = TestFiles.TempFolder("xray-web-tests-");
        Data = SyntheticChestXray.Generate(Path.Combine(Root, "data"), new SyntheticOptions { PerClass = 12, TestPerClass = 3, Size = 64, Seed = 11 }).Root;
        var output = Path.Combine(Root, "run");
        var (code, _, error) = Cli("train", "--data", Data, "--out", output, "--arch", "blog-cnn", "--size", "32", "--channels", "1",
            "--epochs", "1", "--batch", "12", "--seed", "3", "--cache", "memory", "--device", "cpu");
        if (code != 0) throw new InvalidOperationException($"xray train failed: {error}");
        Checkpoint = Path.Combine(output, "checkpoint.pt");
        TestImages = Directory.GetFiles(Path.Combine(Data, "test"), "*.jpg", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
    }

    public static TrainedCheckpoint Instance => Shared.Value;

    public string Root { get; }

    public string Data { get; }

    public string Checkpoint { get; }

    public string[] TestImages { get; }

    /// <summary>`xray ARGS...` in this process, with what it writes to stdout and stderr.</summary>
    public static (int Code, string Out, string Err) Cli(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = Program.BuildRoot().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }
}
