using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.PackageManagement;

namespace XRay.Notebooks.Execution;

/// <summary>
/// The official .NET Interactive C# kernel, set up as VS Code's Polyglot Notebooks set it up: a <see cref="CSharpKernel"/>
/// with the kernel helpers (<c>display</c>), value sharing and <c>#r "nuget: ..."</c>, inside a <see cref="CompositeKernel"/>.
/// It also gives runtime errors their line: each cell compiles with debug information under its own file name.
/// </summary>
internal sealed partial class KernelHost : IDisposable
{
    // The kernel keeps its script options private; without them errors simply have no line.
    private static readonly FieldInfo? ScriptOptionsField =
        typeof(CSharpKernel).GetField("_scriptOptions", BindingFlags.NonPublic | BindingFlags.Instance);

    private readonly CSharpKernel csharp;
    private readonly CompositeKernel root;
    private readonly string folder;
    private int submissions;

    public KernelHost(string folder)
    {
        this.folder = folder;
        OutputFormatter.RegisterFormatters();
        csharp = new CSharpKernel()
            .UseKernelHelpers()
            .UseValueSharing()
            .UseNugetDirective((kernel, packages) =>
            {
                kernel.AddAssemblyReferences(packages.SelectMany(p => p.AssemblyPaths));
                return Task.CompletedTask;
            });
        root = new CompositeKernel { csharp };
        root.DefaultKernelName = csharp.Name;
        // #!import: the notebooks' setup cells import notebooks/usings.dib, as the dotnet-interactive tool (VS Code, Jupyter) does.
        root.UseImportMagicCommand();
    }

    /// <summary>Every event the kernel publishes, as it happens (outputs, display updates).</summary>
    public IObservable<KernelEvent> Events => root.KernelEvents;

    /// <summary>Runs one cell; returns its error, or null when it ran.</summary>
    public async Task<ErrorOutput?> SubmitAsync(string source)
    {
        var number = ++submissions;
        if (ScriptOptionsField?.GetValue(csharp) is ScriptOptions options)
            ScriptOptionsField.SetValue(csharp, options.WithEmitDebugInformation(true).WithFileEncoding(Encoding.UTF8)
                .WithFilePath(Path.Combine(folder, CellFileName(number))));
        var submission = new SubmitCode(source);
        var result = await root.SendAsync(submission);
        var failed = result.Events.OfType<CommandFailed>().FirstOrDefault();
        if (failed is null) return null;
        // The C# kernel gets its own command with the code it compiles (magics and #r "nuget:" taken out).
        var compiled = result.Events.Select(e => e.Command).OfType<SubmitCode>().FirstOrDefault(c => !ReferenceEquals(c, submission))?.Code ?? source;
        int CellLine(int line) => SourceLineMap.ToCellLine(source, compiled, line);

        var diagnostics = result.Events.OfType<DiagnosticsProduced>().SelectMany(d => d.Diagnostics)
            .Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error).ToList();
        if (failed.Exception is null or CodeSubmissionCompilationErrorException && diagnostics.Count > 0)
        {
            var lines = diagnostics.Select(d => $"(line {CellLine(d.LinePositionSpan.Start.Line + 1)}) {d.Code}: {d.Message}").ToArray();
            return new ErrorOutput("CompilationError", string.Join("\n", lines), lines, CellLine(diagnostics[0].LinePositionSpan.Start.Line + 1));
        }
        if (failed.Exception is { } e and not CodeSubmissionCompilationErrorException)
        {
            var error = e is AggregateException { InnerException: { } inner } ? inner : e;
            var trace = error.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
            var match = Regex.Match(error.StackTrace ?? "", Regex.Escape(CellFileName(number)) + @":line (\d+)");
            return new ErrorOutput(error.GetType().Name, error.Message, trace, match.Success ? CellLine(int.Parse(match.Groups[1].Value)) : null);
        }
        var position = PositionRegex().Match(failed.Message);
        return new ErrorOutput("CommandFailed", failed.Message, failed.Message.Split('\n'),
            position.Success ? CellLine(int.Parse(position.Groups[1].Value)) : null);
    }

    private static string CellFileName(int number) => $"cell-{number}.csx";

    // "(2,9): error CS0103: ..."
    [GeneratedRegex(@"^\((\d+),\d+\)")]
    private static partial Regex PositionRegex();

    public void Dispose() => root.Dispose();
}
