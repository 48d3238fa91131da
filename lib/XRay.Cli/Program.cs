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
        return Invoke(args);
    }

    /// <summary>
    /// Runs the command line <paramref name="args"/>. A line the parser refuses (an unknown command or option, a missing
    /// or unparsable value) prints its errors and exits with 2, usage, as the commands' own option checks do.
    /// </summary>
    public static int Invoke(string[] args, InvocationConfiguration? configuration = null)
    {
        var parse = BuildRoot().Parse(args);
        var code = configuration is null ? parse.Invoke() : parse.Invoke(configuration);
        return parse.Errors.Count > 0 ? ExitCodes.Usage : code;
    }

    /// <summary>Each command group lives in Commands/ and adds itself here.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("XRayNotebooks: chest X-ray CNN tutorials in .NET (TorchSharp + OpenCvSharp).\n" + ExitCodes.Help);
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
