using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Documents;
using XRay.Notebooks.Execution;
using XRay.Notebooks.Format;
using XRay.Notebooks.Parameters;

namespace XRay.Notebooks;

/// <summary>What happened when a notebook ran.</summary>
/// <param name="FailedCell">1-based index of the cell that failed, if one did.</param>
public sealed record NotebookRunResult(bool Succeeded, int CellsRun, int? FailedCell, ErrorOutput? Error, TimeSpan Duration);

/// <summary>How one cell went.</summary>
public sealed record CellRunResult(TimeSpan Duration, ErrorOutput? Error)
{
    public bool Succeeded => Error is null;
}

/// <summary>Options for <see cref="NotebookRunner"/>.</summary>
public sealed record NotebookRunOptions
{
    /// <summary>Papermill-style parameters, injected after the cell tagged "parameters".</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>The longest one cell may run; past it the kernel process is killed.</summary>
    public TimeSpan CellTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>The longest the kernel process may take to start.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Called as each cell starts (1-based index in the notebook, source) and ends, for progress on a console.</summary>
    public Action<int, string>? CellStarting { get; init; }

    public Action<int, CellRunResult>? CellFinished { get; init; }
}

/// <summary>
/// Executes a notebook's C# cells in order on the official .NET Interactive kernel, in a kernel process of its own
/// started in the notebook's folder, and records outputs, timings and the first error in the document (papermill's
/// way: execution stops at the first failing cell). A cell past its timeout is stopped by killing the process; the
/// outputs that came before stay.
/// </summary>
public static class NotebookRunner
{
    private const string Engine = "XRay.Notebooks (.NET Interactive CSharpKernel 1.0.0-beta.26120.1)";

    public static async Task<NotebookRunResult> RunAsync(InteractiveDocument notebook, string workingDirectory, NotebookRunOptions? options = null)
    {
        options ??= new NotebookRunOptions();
        ParameterInjector.Inject(notebook, options.Parameters);
        var code = notebook.Elements.Where(NotebookFile.IsCode).ToList();
        foreach (var cell in code)
        {
            cell.Outputs.Clear();
            cell.ExecutionOrder = 0;
            cell.Metadata?.Remove("papermill");
        }

        var started = DateTimeOffset.Now;
        if (code.Count == 0)
        {
            notebook.Metadata["papermill"] = Summary(started, "completed", null, options);
            return new NotebookRunResult(true, 0, null, null, TimeSpan.Zero);
        }
        var run = new Run(notebook, code, options);
        await using (var kernel = KernelProcess.Start(Path.GetFullPath(workingDirectory), code.Select(c => c.Contents).ToList()))
        {
            await run.FollowAsync(kernel);
        }
        var (failedAt, error) = run.Failure;
        notebook.Metadata["papermill"] = Summary(started, error is null ? "completed" : "failed",
            error is null ? null : $"{Where(failedAt!.Value, error)}: {error.Name}: {error.Message}", options);
        return new NotebookRunResult(error is null, run.CellsRun, failedAt, error, DateTimeOffset.Now - started);
    }

    private static string Where(int cell, ErrorOutput error) => error.Line is { } line ? $"cell {cell}, line {line}" : $"cell {cell}";

    /// <summary>One run's bookkeeping: which cell runs, its outputs, and displays that later updates replace.</summary>
    private sealed class Run(InteractiveDocument notebook, List<InteractiveDocumentElement> code, NotebookRunOptions options)
    {
        private readonly Dictionary<string, Dictionary<string, object>> displays = new();
        private int current = -1;
        private bool running;
        private DateTimeOffset cellStarted = DateTimeOffset.Now;

        public int CellsRun { get; private set; }

        public (int? Cell, ErrorOutput? Error) Failure { get; private set; }

        public async Task FollowAsync(KernelProcess kernel)
        {
            while (true)
            {
                // Before the first cell the kernel starts (StartTimeout); between cells the next one starts at once.
                var limit = current < 0 ? options.StartTimeout : options.CellTimeout;
                var deadline = (running ? cellStarted : DateTimeOffset.Now) + limit;
                using var timeout = new CancellationTokenSource(Max(deadline - DateTimeOffset.Now, TimeSpan.Zero));
                JsonObject? message;
                try
                {
                    message = await kernel.NextAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    kernel.Kill();
                    var what = current < 0 ? "The kernel did not start" : "The cell ran past its timeout";
                    var text = $"{what} within {limit.TotalSeconds:0.###} s; its kernel process was stopped.";
                    Finish(new ErrorOutput("TimeoutException", text, new[] { text }, null));
                    return;
                }
                if (message is null)
                {
                    // The process ended without a final "end": it crashed (a native abort) or exited.
                    var report = kernel.ExitReport();
                    Finish(new ErrorOutput("KernelProcessExited", report, report.Split('\n'), null));
                    return;
                }
                switch (message["kind"]!.GetValue<string>())
                {
                    case "start":
                        current = message["cell"]!.GetValue<int>();
                        running = true;
                        cellStarted = DateTimeOffset.Now;
                        code[current].ExecutionOrder = ++CellsRun;
                        options.CellStarting?.Invoke(NotebookIndex(current), code[current].Contents);
                        break;
                    case "output":
                        Add(code[message["cell"]!.GetValue<int>()], message["output"]!.AsObject(), message["id"]?.GetValue<string>());
                        break;
                    case "update":
                        if (displays.TryGetValue(message["id"]!.GetValue<string>(), out var data)) Replace(data, message["data"]!.AsObject());
                        break;
                    case "end":
                        var error = message["error"] is { } e ? WorkerProtocol.ReadError(e) : null;
                        Finish(error);
                        running = false;
                        if (error is not null || current == code.Count - 1) return;
                        break;
                }
            }
        }

        private int NotebookIndex(int codeIndex) => notebook.Elements.IndexOf(code[codeIndex]) + 1;

        private void Finish(ErrorOutput? error)
        {
            if (current < 0) current = 0; // the kernel failed before the first cell: the error goes there
            var cell = code[current];
            if (error is not null)
            {
                var message = error.Line is { } line && !error.Message.StartsWith("(line ", StringComparison.Ordinal) ? $"(line {line}) {error.Message}" : error.Message;
                // ErrorElement's constructor takes the value first, then the name.
                cell.Outputs.Add(new ErrorElement(message, error.Name, error.Traceback.ToArray()));
                Failure = (NotebookIndex(current), error);
            }
            var ended = DateTimeOffset.Now;
            cell.Metadata ??= new Dictionary<string, object>();
            cell.Metadata["papermill"] = new Dictionary<string, object>
            {
                ["start_time"] = Iso(cellStarted),
                ["end_time"] = Iso(ended),
                ["duration"] = Math.Round((ended - cellStarted).TotalSeconds, 3),
                ["status"] = error is null ? "completed" : "failed",
            };
            options.CellFinished?.Invoke(NotebookIndex(current), new CellRunResult(ended - cellStarted, error));
        }

        private void Add(InteractiveDocumentElement cell, JsonObject output, string? displayId)
        {
            var data = output["data"] is JsonObject bundle ? Replace(new Dictionary<string, object>(), bundle) : null;
            switch (output["output_type"]!.GetValue<string>())
            {
                case "stream":
                    var name = output["name"]!.GetValue<string>();
                    var text = output["text"]!.GetValue<string>();
                    if (text.Length == 0) return;
                    // Consecutive writes to one stream merge into one output, as Jupyter shows them.
                    if (cell.Outputs.Count > 0 && cell.Outputs[^1] is TextElement last && last.Name == name)
                        cell.Outputs[^1] = new TextElement(last.Text + text, name);
                    else
                        cell.Outputs.Add(new TextElement(text, name));
                    break;
                case "display_data":
                    cell.Outputs.Add(new DisplayElement(data!));
                    if (displayId is not null) displays[displayId] = data!;
                    break;
                case "execute_result":
                    var result = new ReturnValueElement { ExecutionOrder = cell.ExecutionOrder };
                    foreach (var (mime, content) in data!) result.Data[mime] = content;
                    cell.Outputs.Add(result);
                    break;
            }
        }

        private static Dictionary<string, object> Replace(Dictionary<string, object> data, JsonObject bundle)
        {
            data.Clear();
            foreach (var (mime, content) in bundle) data[mime] = content!.GetValue<string>();
            return data;
        }

        private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
    }

    private static Dictionary<string, object?> Summary(DateTimeOffset started, string status, string? error, NotebookRunOptions options)
    {
        var parameters = new Dictionary<string, object?>();
        foreach (var (k, v) in options.Parameters) parameters[k] = v;
        return new Dictionary<string, object?>
        {
            ["start_time"] = Iso(started),
            ["end_time"] = Iso(DateTimeOffset.Now),
            ["duration"] = Math.Round((DateTimeOffset.Now - started).TotalSeconds, 3),
            ["status"] = status,
            ["exception"] = error,
            ["parameters"] = parameters,
            ["engine"] = Engine,
        };
    }

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture);
}
