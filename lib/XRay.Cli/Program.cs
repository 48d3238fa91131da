using System.CommandLine;
using XRay.Cli.Commands;

namespace XRay.Cli;

/// <summary>The `xray` command: `xray data|train|train-classifier|evaluate|calibrate|predict|serve|model|notebook ...`.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        // The library logs (a cache it could not save, a Kaggle key others can read) through XRayLogging; here it reaches the terminal.
        XRayLogging.LoggerFactory = new StderrLogger(Console.Error);
        return BuildRoot().Parse(args).Invoke();
    }

    /// <summary>Each command group lives in Commands/ and adds itself here.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("XRayNotebooks: chest X-ray CNN tutorials in .NET (TorchSharp + OpenCvSharp).");
        root.Subcommands.Add(InfoCommand.Create());
        root.Subcommands.Add(DataCommand.Create());
        root.Subcommands.Add(NotebookCommand.Create());
        root.Subcommands.Add(ModelCommand.Create());
        root.Subcommands.Add(WeightsCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(TrainClassifierCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(CalibrateCommand.Create());
        root.Subcommands.Add(PredictCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        return root;
    }
}
