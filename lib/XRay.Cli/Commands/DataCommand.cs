using System.CommandLine;

namespace XRay.Cli.Commands;

/// <summary>`xray data download|synthetic|stats`: getting a dataset and looking at it.</summary>
internal static class DataCommand
{
    public static Command Create()
    {
        var command = new Command("data", "Download a dataset (Kaggle or any URL), make the synthetic one, or count what a folder holds.");
        command.Subcommands.Add(DataDownloadCommand.Create());
        command.Subcommands.Add(DataSyntheticCommand.Create());
        command.Subcommands.Add(DataStatsCommand.Create());
        return command;
    }
}
