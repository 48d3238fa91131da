using XRay.Synthetic;

namespace XRay.Cli.Tests.Commands;

/// <summary>
/// One tiny synthetic set (3 classes, 20 train + 5 test images each, 64 px) and one 2-epoch `xray train` on it, made
/// once for the train, evaluate and predict command tests.
/// </summary>
internal sealed class TrainedSyntheticRun
{
    public const int TestImages = 15;

    private static readonly Lazy<TrainedSyntheticRun> Shared = new(() => new TrainedSyntheticRun());

    private TrainedSyntheticRun()
    {
        Data = SyntheticChestXray.Generate(TestFiles.TempFolder(), new SyntheticOptions { PerClass = 20, TestPerClass = 5, Size = 64, Seed = 5 }).Root;
        Output = TestFiles.TempFolder();
        (Code, Stdout, Stderr) = CliRunner.Run(TrainArgs(Output, epochs: 2));
    }

    public static TrainedSyntheticRun Instance => Shared.Value;

    public string Data { get; }

    public string Output { get; }

    public string Checkpoint => Path.Combine(Output, "checkpoint.pt");

    public int Code { get; }

    public string Stdout { get; }

    public string Stderr { get; }

    /// <summary>The command line of the shared run for an output folder and epoch count; options in <paramref name="more"/> replace its own.</summary>
    public string[] TrainArgs(string output, int epochs, params string[] more)
    {
        var own = new (string Name, string Value)[]
        {
            ("--data", Data), ("--out", output), ("--arch", "blog-cnn"), ("--size", "64"), ("--channels", "1"), ("--epochs", epochs.ToString()),
            ("--batch", "16"), ("--optimizer", "adam"), ("--lr", "1e-3"), ("--seed", "3"), ("--cache", "memory"), ("--device", "cpu"),
        };
        return own.Where(o => !more.Contains(o.Name)).SelectMany(o => new[] { o.Name, o.Value }).Prepend("train").Concat(more).ToArray();
    }
}
