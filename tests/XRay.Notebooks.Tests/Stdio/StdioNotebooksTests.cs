using XRay.Notebooks.Format;
using XRay.Notebooks.Parameters;
using XRay.TestSupport;

namespace XRay.Notebooks.Tests.Stdio;

/// <summary>
/// Every notebook, cell by cell, in the kernel VS Code and Jupyter start (<c>dotnet-interactive stdio</c>), a fresh one per
/// notebook in the notebooks folder, with the small run's parameters (64 px, 1 epoch) sent as the cell after the
/// parameters cell, as papermill would inject them. <see cref="NotebooksTests"/> runs the same notebooks in our own
/// host, which resolves native libraries through its deps.json: this is the test that sees what a learner sees.
/// Select it with <c>dotnet test --filter Category=StdioKernel</c>.
/// </summary>
[Trait("Category", TestCategories.StdioKernel)]
[Trait("Category", TestCategories.Slow)]
public sealed class StdioNotebooksTests(TutorialFixture fixture) : IClassFixture<TutorialFixture>
{
    private static readonly TimeSpan CellTimeout = TimeSpan.FromMinutes(5);
    private static string NotebooksFolder => Path.Combine(Repository.Root(), "notebooks");

    public static IEnumerable<object[]> Names() => NotebooksTests.Names();

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Each_notebook_runs_in_the_vs_code_kernel(string name)
    {
        var release = Path.Combine(Repository.Root(), "artifacts", "bin", "XRay", "release", "XRay.dll");
        Assert.True(File.Exists(release), $"{release} is missing: the notebooks reference the Release build; run ./build.sh build.");
        if (TutorialFixture.NeedsTraining(name) && !fixture.Trained) await Each_notebook_runs_in_the_vs_code_kernel("05-training.ipynb");

        var notebook = NotebookFile.Load(Path.Combine(NotebooksFolder, name));
        ParameterInjector.Inject(notebook, fixture.Parameters(name));
        var cells = notebook.Elements.Where(NotebookFile.IsCode).ToList();
        await using var kernel = await StdioKernel.StartAsync(NotebooksFolder, TimeSpan.FromMinutes(2));
        for (var i = 0; i < cells.Count; i++)
        {
            var result = await kernel.SubmitAsync(cells[i].Contents, cells[i].KernelName ?? "csharp", CellTimeout);
            Assert.True(result.Succeeded, $"{name}, code cell {i + 1} of {cells.Count} failed:\n{result.Report()}\n--- the cell ---\n{cells[i].Contents}");
        }
        if (name.StartsWith("05")) Assert.True(fixture.Trained, "05-training ran but wrote no checkpoint.pt under runsDir");
    }

    /// <summary>
    /// The library's result types carry no formatter attribute (Display uses them, not the reverse): the setup cell's
    /// usings.dib registers their formatters, and the tensor one, in this kernel too.
    /// </summary>
    [Fact]
    public async Task The_setup_cell_registers_the_formatters_of_results_and_tensors()
    {
        await using var kernel = await StdioKernel.StartAsync(NotebooksFolder, TimeSpan.FromMinutes(2));
        var setup = await kernel.SubmitAsync("#r \"../artifacts/bin/XRay/release/XRay.dll\"\n#r \"../artifacts/bin/XRay.Display/release/XRay.Display.dll\"\n#!import usings.dib", "csharp", CellTimeout);
        Assert.True(setup.Succeeded, setup.Report());
        var shown = await kernel.SubmitAsync(
            "var history = new History(new[] { new EpochRecord(1, 0.9, 0.5, 1.0, 0.45, 1e-3, 2.0) });\n" +
            "Console.WriteLine(Microsoft.DotNet.Interactive.Formatting.Formatter.ToDisplayString(history, \"text/html\"));\n" +
            "Console.WriteLine(Microsoft.DotNet.Interactive.Formatting.Formatter.ToDisplayString(ones(1, 1, 8, 8), \"text/html\"));",
            "csharp", CellTimeout);
        Assert.True(shown.Succeeded, shown.Report());
        var printed = string.Concat(shown.Stdout);
        Assert.Contains("<th>val_accuracy</th>", printed);
        Assert.Contains("<img src=\"data:image/png;base64,", printed);
    }

    /// <summary>The client itself: a failing cell is reported as failed, with the exception's message.</summary>
    [Fact]
    public async Task A_cell_that_throws_fails_with_its_message()
    {
        await using var kernel = await StdioKernel.StartAsync(NotebooksFolder, TimeSpan.FromMinutes(2));
        var ok = await kernel.SubmitAsync("var x = 6 * 7;\nConsole.WriteLine(x);", "csharp", TimeSpan.FromMinutes(1));
        Assert.True(ok.Succeeded, ok.Report());
        Assert.Contains("42", string.Concat(ok.Stdout));
        var failed = await kernel.SubmitAsync("throw new InvalidOperationException(\"no such scan\");", "csharp", TimeSpan.FromMinutes(1));
        Assert.False(failed.Succeeded);
        Assert.Contains("no such scan", failed.Report());
        var compile = await kernel.SubmitAsync("int y = \"text\";", "csharp", TimeSpan.FromMinutes(1));
        Assert.False(compile.Succeeded);
        Assert.Contains("CS0029", compile.Report());
    }
}
