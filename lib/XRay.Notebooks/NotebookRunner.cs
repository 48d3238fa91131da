using System.Globalization;
using System.Text.Json.Nodes;
using XRay.Notebooks.Execution;
using XRay.Notebooks.Format;
using XRay.Notebooks.Parameters;

namespace XRay.Notebooks;

/// <summary>What happened when a notebook ran.</summary>
/// <param name="FailedCell">1-based index of the cell that failed, if one did.</param>
public sealed record NotebookRunResult(bool Succeeded, int CellsRun, int? FailedCell, ErrorOutput? Error, TimeSpan Duration);

/// <summary>Options for <see cref="NotebookRunner"/>.</summary>
public sealed record NotebookRunOptions
{
    /// <summary>Papermill-style parameters, injected after the cell tagged "parameters".</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>The longest one cell may run.</summary>
    public TimeSpan? CellTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Called as each cell starts (index, source) and ends, for progress on a console.</summary>
    public Action<int, NotebookCell>? CellStarting { get; init; }

    public Action<int, SubmissionResult>? CellFinished { get; init; }
}

/// <summary>
/// Executes a notebook's C# cells in order in one <see cref="NotebookKernel"/>, with the notebook's folder as
/// working directory, and records outputs, timings and the first error in the document (papermill's way:
/// execution stops at the first failing cell).
/// </summary>
public static class NotebookRunner
{
    public static async Task<NotebookRunResult> RunAsync(NotebookDocument notebook, NotebookRunOptions? options = null)
    {
        options ??= new NotebookRunOptions();
        var folder = notebook.Path is { } p ? Path.GetDirectoryName(Path.GetFullPath(p))! : Environment.CurrentDirectory;
        ParameterInjector.Inject(notebook, options.Parameters);
        foreach (var cell in notebook.Cells.Where(c => c.CellType == "code"))
        {
            cell.Outputs.Clear();
            cell.ExecutionCount = null;
            cell.Metadata.Remove("papermill");
        }

        var started = DateTimeOffset.Now;
        using var kernel = new NotebookKernel(new KernelOptions { WorkingDirectory = folder, Timeout = options.CellTimeout });
        var executed = 0;
        // display() handles may be updated by later cells (a progress display made in one cell, fed by training in
        // the next), so displayed outputs are re-read after every cell.
        var displays = new List<(DisplayDataOutput output, JsonObject json)>();
        for (var i = 0; i < notebook.Cells.Count; i++)
        {
            var cell = notebook.Cells[i];
            if (cell.CellType != "code") continue;
            options.CellStarting?.Invoke(i + 1, cell);
            var result = await kernel.SubmitAsync(cell.Source);
            cell.ExecutionCount = ++executed;
            Record(cell, result, displays);
            foreach (var (output, json) in displays) json["data"] = Bundle(output.Data);
            options.CellFinished?.Invoke(i + 1, result);
            if (result.Error is { } error)
            {
                var at = error.Line is { } line ? $"cell {i + 1}, line {line}" : $"cell {i + 1}";
                notebook.Metadata["papermill"] = Summary(started, "failed", $"{at}: {error.Name}: {error.Message}", options);
                return new NotebookRunResult(false, executed, i + 1, error, DateTimeOffset.Now - started);
            }
        }
        notebook.Metadata["papermill"] = Summary(started, "completed", null, options);
        return new NotebookRunResult(true, executed, null, null, DateTimeOffset.Now - started);
    }

    private static void Record(NotebookCell cell, SubmissionResult result, List<(DisplayDataOutput, JsonObject)> displays)
    {
        foreach (var output in result.Outputs)
        {
            var json = ToJson(output, cell.ExecutionCount);
            cell.Outputs.Add(json);
            if (output is DisplayDataOutput display) displays.Add((display, json));
        }
        cell.Metadata["papermill"] = new JsonObject
        {
            ["start_time"] = Iso(result.Started),
            ["end_time"] = Iso(result.Finished),
            ["duration"] = Math.Round(result.Duration.TotalSeconds, 3),
            ["status"] = result.Succeeded ? "completed" : "failed",
        };
    }

    private static JsonObject Summary(DateTimeOffset started, string status, string? error, NotebookRunOptions options)
    {
        var parameters = new JsonObject();
        foreach (var (k, v) in options.Parameters) parameters[k] = v;
        return new JsonObject
        {
            ["start_time"] = Iso(started),
            ["end_time"] = Iso(DateTimeOffset.Now),
            ["duration"] = Math.Round((DateTimeOffset.Now - started).TotalSeconds, 3),
            ["status"] = status,
            ["exception"] = error,
            ["parameters"] = parameters,
            ["engine"] = "XRay.Notebooks (Roslyn C# scripting)",
        };
    }

    /// <summary>nbformat 4 output JSON.</summary>
    internal static JsonObject ToJson(CellOutput output, int? executionCount) => output switch
    {
        StreamOutput s => new JsonObject { ["output_type"] = "stream", ["name"] = s.Name, ["text"] = s.Text },
        DisplayDataOutput d => new JsonObject
        {
            ["output_type"] = "display_data",
            ["data"] = Bundle(d.Data),
            ["metadata"] = new JsonObject(),
            ["transient"] = new JsonObject { ["display_id"] = d.DisplayId },
        },
        ExecuteResultOutput r => new JsonObject
        {
            ["output_type"] = "execute_result",
            ["execution_count"] = executionCount,
            ["data"] = Bundle(r.Data),
            ["metadata"] = new JsonObject(),
        },
        ErrorOutput e => new JsonObject
        {
            ["output_type"] = "error",
            ["ename"] = e.Name,
            ["evalue"] = e.Line is { } line ? $"(line {line}) {e.Message}" : e.Message,
            ["traceback"] = new JsonArray(e.Traceback.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray()),
        },
        _ => throw new ArgumentOutOfRangeException(nameof(output)),
    };

    private static JsonObject Bundle(IReadOnlyDictionary<string, string> data)
    {
        var bundle = new JsonObject();
        foreach (var (mime, content) in data) bundle[mime] = content;
        return bundle;
    }

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture);
}
