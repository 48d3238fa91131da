using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Scripting;

namespace XRay.Notebooks.Execution;

/// <summary>
/// Runs C# submissions as one chained Roslyn script session, the engine .NET Interactive's C# kernel is built
/// on: state carries from one submission to the next. It knows nothing about files; the notebook runner (or a
/// Jupyter kernel later) feeds it code and collects the outputs.
/// </summary>
public sealed partial class NotebookKernel : IDisposable
{
    private static readonly SemaphoreSlim ConsoleLock = new(1, 1);
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, kind: SourceCodeKind.Script);

    private readonly KernelOptions options;
    private readonly OutputCollector collector = new();
    private readonly KernelGlobals globals;
    private ScriptState<object?>? state;
    private int submissions;
    private bool abandoned;

    public NotebookKernel(KernelOptions? options = null)
    {
        this.options = options ?? new KernelOptions();
        globals = new KernelGlobals(collector);
    }

    /// <summary>Runs one cell's code. Never throws for errors in the code: they come back as an ErrorOutput.</summary>
    public async Task<SubmissionResult> SubmitAsync(string source)
    {
        var started = DateTimeOffset.Now;
        collector.Clear();
        var number = ++submissions;
        if (abandoned)
        {
            collector.Add(new ErrorOutput("KernelAbandoned",
                "An earlier cell ran past its timeout and could not be stopped; restart the kernel.", Array.Empty<string>(), null));
            return new SubmissionResult(collector.Snapshot(), started, DateTimeOffset.Now);
        }

        string code;
        try
        {
            var (kind, parsed) = CellMagics.Parse(source);
            if (kind == CellMagics.Kind.Markdown) return new SubmissionResult(Array.Empty<CellOutput>(), started, DateTimeOffset.Now);
            code = parsed;
        }
        catch (NotSupportedException e)
        {
            collector.Add(new ErrorOutput("NotSupported", e.Message, new[] { e.Message }, LineOf(e.Message)));
            return new SubmissionResult(collector.Snapshot(), started, DateTimeOffset.Now);
        }

        await ConsoleLock.WaitAsync();
        var (savedOut, savedError, savedDirectory) = (Console.Out, Console.Error, Environment.CurrentDirectory);
        try
        {
            Console.SetOut(collector.Writer("stdout"));
            Console.SetError(collector.Writer("stderr"));
            Environment.CurrentDirectory = options.WorkingDirectory;
            await RunAsync(code, number);
        }
        finally
        {
            Console.Out.Flush();
            Console.SetOut(savedOut);
            Console.SetError(savedError);
            Environment.CurrentDirectory = savedDirectory;
            ConsoleLock.Release();
        }
        return new SubmissionResult(collector.Snapshot(), started, DateTimeOffset.Now);
    }

    private async Task RunAsync(string code, int number)
    {
        var scriptOptions = ScriptOptionsFor(number);
        var rewritten = LoopCancellationRewriter.Rewrite(code, ParseOptions);
        using var cts = new CancellationTokenSource();
        var run = Task.Run(async () =>
        {
            CellCancellation.Set(cts.Token);
            return state is null
                ? await CSharpScript.RunAsync<object?>(rewritten, scriptOptions, globals, typeof(KernelGlobals), cts.Token)
                : await state.ContinueWithAsync<object?>(rewritten, scriptOptions, cts.Token);
        });

        var limit = options.Timeout is { } t ? Task.Delay(t) : Task.Delay(Timeout.Infinite);
        if (await Task.WhenAny(run, limit) != run)
        {
            cts.Cancel();
            var stopped = await Task.WhenAny(run, Task.Delay(options.CancellationGrace)) == run;
            if (!stopped) abandoned = true;
            var message = $"The cell ran past its timeout of {options.Timeout!.Value.TotalSeconds:0.###} s and was " +
                          (stopped ? "stopped." : "abandoned (it did not reach a loop check); restart the kernel.");
            collector.Add(new ErrorOutput("TimeoutException", message, new[] { message }, null));
            return;
        }

        try
        {
            var next = await run;
            state = next;
            if (EndsWithExpression(code)) collector.Add(new ExecuteResultOutput(OutputFormatter.Format(next.ReturnValue)));
        }
        catch (CompilationErrorException e)
        {
            var first = e.Diagnostics.First(d => d.Severity == DiagnosticSeverity.Error);
            var line = first.Location.GetLineSpan().StartLinePosition.Line + 1;
            var lines = e.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)
                .Select(d => $"(line {d.Location.GetLineSpan().StartLinePosition.Line + 1}) {d.Id}: {d.GetMessage()}").ToArray();
            collector.Add(new ErrorOutput("CompilationError", string.Join("\n", lines), lines, line));
        }
        catch (Exception e)
        {
            var error = e is AggregateException { InnerException: { } inner } ? inner : e;
            var trace = error.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
            collector.Add(new ErrorOutput(error.GetType().Name, error.Message, trace, CellLine(error, number)));
        }
    }

    private ScriptOptions ScriptOptionsFor(int number)
    {
        var directory = options.WorkingDirectory;
        return ScriptOptions.Default
            .WithLanguageVersion(LanguageVersion.Latest)
            .WithFilePath(Path.Combine(directory, CellFileName(number)))
            .WithFileEncoding(Encoding.UTF8)
            .WithEmitDebugInformation(true)
            .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(directory))
            .WithSourceResolver(ScriptSourceResolver.Default.WithBaseDirectory(directory))
            .WithReferences(typeof(object).Assembly, typeof(Enumerable).Assembly, typeof(KernelGlobals).Assembly,
                Assembly.Load("System.Runtime"), Assembly.Load("netstandard"))
            .WithImports(options.Imports)
            .WithAllowUnsafe(true);
    }

    private static string CellFileName(int number) => $"cell-{number}.csx";

    // A trailing expression has no semicolon: `x + 1` shows its value, `x + 1;` does not.
    private static bool EndsWithExpression(string code)
    {
        var root = CSharpSyntaxTree.ParseText(code, ParseOptions).GetCompilationUnitRoot();
        var last = root.Members.LastOrDefault();
        return last is GlobalStatementSyntax { Statement: ExpressionStatementSyntax { SemicolonToken.IsMissing: true } };
    }

    // The line within this cell from the stack trace ("cell-3.csx:line 7").
    private static int? CellLine(Exception e, int number)
    {
        var match = Regex.Match(e.StackTrace ?? "", Regex.Escape(CellFileName(number)) + @":line (\d+)");
        return match.Success ? int.Parse(match.Groups[1].Value) : null;
    }

    private static int? LineOf(string message)
    {
        var match = LineRegex().Match(message);
        return match.Success ? int.Parse(match.Groups[1].Value) : null;
    }

    [GeneratedRegex(@"^line (\d+):")]
    private static partial Regex LineRegex();

    public void Dispose() => state = null;
}
