using System.CommandLine;
using XRay.Synthetic;

namespace XRay.Cli.Commands;

/// <summary>`xray data synthetic --out DIR [--classes 3|2] [--per-class N] [--size PX] [--seed S] [--ratios A:B:C]`.</summary>
internal static class DataSyntheticCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Folder to write train/ and test/ into", Required = true };
        var classes = new Option<int>("--classes") { Description = "3: NORMAL, COVID19, PNEUMONIA; 2: NORMAL, PNEUMONIA", DefaultValueFactory = _ => 3 };
        var perClass = new Option<int>("--per-class") { Description = "Training images per class (test gets a quarter)", DefaultValueFactory = _ => 100 };
        var size = new Option<int>("--size") { Description = "Image side in pixels", DefaultValueFactory = _ => 256 };
        var seed = new Option<long>("--seed") { Description = "Same seed, byte-identical files", DefaultValueFactory = _ => 0 };
        var val = new Option<int>("--val-per-class") { Description = "Also write val/ with this many per class (default none)", DefaultValueFactory = _ => 0 };
        var ratios = new Option<string?>("--ratios") { Description = "Class proportions in the order of --classes, e.g. 10:1:3 (COVID19 rare, as in the Kaggle set), for every split; default balanced" };
        var command = new Command("synthetic", "Write a deterministic synthetic chest X-ray set in the Kaggle layout (no account, no network).")
        {
            output, classes, perClass, size, seed, val, ratios,
        };
        command.SetAction(parse => ExpectedErrors.Run(parse.InvocationConfiguration.Error, () =>
        {
            var options = OptionChecks.Library(() =>
            {
                var asked = new SyntheticOptions
                {
                    Classes = parse.GetValue(classes),
                    PerClass = parse.GetValue(perClass),
                    Size = parse.GetValue(size),
                    Seed = parse.GetValue(seed),
                    ValPerClass = parse.GetValue(val),
                    Ratios = parse.GetValue(ratios) is { } text ? SyntheticOptions.ParseRatios(text, parse.GetValue(classes)) : null,
                };
                asked.Validate(); // before any file is written: a bad value is a usage error
                return asked;
            });
            var result = SyntheticChestXray.Generate(parse.GetValue(output)!, options);
            parse.InvocationConfiguration.Output.WriteLine(
                $"Wrote {result.Images} synthetic images ({string.Join(", ", result.ClassNames)}; " +
                (options.Ratios is null ? string.Join(", ", result.PerClass.Select(s => $"{s.Key} {s.Value}/class"))
                    : string.Join("; ", result.Counts.Select(s => $"{s.Key} {string.Join(" ", s.Value.Select(c => $"{c.Key}={c.Value}"))}"))) +
                $") to {result.Root}");
            return 0;
        }));
        return command;
    }
}
