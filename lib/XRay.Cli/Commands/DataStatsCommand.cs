using System.CommandLine;
using XRay.Data;

namespace XRay.Cli.Commands;

/// <summary>`xray data stats DIR [--json]`: images per split and class, and every skipped file with its reason.</summary>
internal static class DataStatsCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("dir") { Description = "Dataset folder (either Kaggle layout, or the synthetic set)" };
        var json = new Option<bool>("--json") { Description = "Print {\"splits\":{...},\"skipped\":[...]} instead of text" };
        var command = new Command("stats", "Count images per split and class, and list the files that would be skipped.") { dir, json };
        command.SetAction(parse => ExpectedErrors.Run(parse.InvocationConfiguration.Error, () =>
        {
            var stats = DatasetStats.Compute(parse.GetValue(dir)!);
            parse.InvocationConfiguration.Output.Write(parse.GetValue(json) ? stats.ToJson() + "\n" : stats.ToText());
            return 0;
        }));
        return command;
    }
}
