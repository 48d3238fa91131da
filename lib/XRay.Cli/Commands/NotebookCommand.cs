using System.CommandLine;
using Microsoft.DotNet.Interactive.Documents;
using XRay.Notebooks;
using XRay.Notebooks.Format;
using XRay.Notebooks.Report;

namespace XRay.Cli.Commands;

/// <summary>`xray notebook run`: papermill for our C# notebooks.</summary>
internal static class NotebookCommand
{
    public static Command Create()
    {
        var command = new Command("notebook", "Run notebooks headless.");
        command.Subcommands.Add(CreateRun());
        command.Subcommands.Add(CreateReport());
        return command;
    }

    private static Command CreateReport()
    {
        var notebooks = new Argument<FileInfo[]>("notebooks") { Description = "Executed notebooks, in order.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<FileInfo>("--output", "-o") { Description = "The HTML file to write.", Required = true };
        var title = new Option<string>("--title") { Description = "The page title.", DefaultValueFactory = _ => "XRayNotebooks" };
        var report = new Command("report", "Write one self-contained HTML page of executed notebooks, plotly.js inlined so charts work offline.")
        {
            notebooks, output, title,
        };
        report.SetAction(parse =>
        {
            var documents = new List<NotebookDocument>();
            foreach (var file in parse.GetValue(notebooks)!)
            {
                try
                {
                    documents.Add(NotebookDocument.Load(file.FullName));
                }
                catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
                {
                    Console.Error.WriteLine($"error: {e.Message}");
                    return ExitCodes.Failure;
                }
            }
            var target = parse.GetValue(output)!;
            HtmlReport.Write(target.FullName, documents, parse.GetValue(title)!);
            Console.WriteLine($"{documents.Count} notebooks -> {target.FullName}");
            return 0;
        });
        return report;
    }

    private static Command CreateRun()
    {
        var notebook = new Argument<FileInfo>("notebook") { Description = "The .ipynb to run." };
        var output = new Option<FileInfo?>("--output", "-o")
        {
            Description = "Where to write the executed notebook (default: artifacts/notebooks/<name>.ipynb).",
        };
        var parameters = new Option<string[]>("--parameter", "-p")
        {
            Description = "name=value, injected after the cell tagged \"parameters\" and typed like its declaration. Repeatable.",
            AllowMultipleArgumentsPerToken = false,
        };
        var timeout = new Option<double>("--timeout")
        {
            Description = "Seconds one cell may run before its kernel process is stopped.",
            DefaultValueFactory = _ => 1800,
        };
        var run = new Command("run", "Execute a notebook's C# cells in order and write the executed copy; exit 0 only when every cell ran.")
        {
            notebook, output, parameters, timeout,
        };
        run.SetAction(async (parse, _) =>
        {
            var input = parse.GetValue(notebook)!;
            var target = parse.GetValue(output) ?? new FileInfo(Path.Combine("artifacts", "notebooks", input.Name));
            Dictionary<string, string> values;
            try
            {
                values = ParseParameters(parse.GetValue(parameters) ?? Array.Empty<string>());
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.Usage;
            }
            var seconds = parse.GetValue(timeout);
            if (seconds <= 0)
            {
                Console.Error.WriteLine($"error: --timeout must be positive, got {seconds}.");
                return ExitCodes.Usage;
            }

            InteractiveDocument document;
            try
            {
                document = NotebookFile.Load(input.FullName);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.Failure;
            }

            NotebookRunResult result;
            try
            {
                result = await NotebookRunner.RunAsync(document, input.DirectoryName!, new NotebookRunOptions
                {
                    Parameters = values,
                    CellTimeout = TimeSpan.FromSeconds(seconds),
                    CellStarting = (i, _) => Console.Error.Write($"  cell {i} ... "),
                    CellFinished = (_, r) => Console.Error.WriteLine(r.Succeeded ? $"{r.Duration.TotalSeconds:0.0}s" : "failed"),
                });
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.Usage;
            }
            NotebookFile.Save(document, target.FullName);
            if (result.Succeeded)
            {
                Console.WriteLine($"{input.Name}: {result.CellsRun} cells ran in {result.Duration.TotalSeconds:0.0}s -> {target.FullName}");
                return 0;
            }
            var line = result.Error!.Line is { } l ? $", line {l}" : "";
            Console.Error.WriteLine($"{input.Name}: cell {result.FailedCell}{line}: {result.Error.Name}: {result.Error.Message}");
            Console.Error.WriteLine($"The executed notebook, with the error, is at {target.FullName}");
            return 1;
        });
        return run;
    }

    internal static Dictionary<string, string> ParseParameters(IEnumerable<string> pairs)
    {
        var result = new Dictionary<string, string>();
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0) throw new ArgumentException($"-p '{pair}' is not name=value.");
            result[pair[..eq].Trim()] = pair[(eq + 1)..];
        }
        return result;
    }
}
