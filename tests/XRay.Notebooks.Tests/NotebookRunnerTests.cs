using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Documents;
using XRay.Notebooks.Format;

namespace XRay.Notebooks.Tests;

/// <summary>The runner end to end on the official kernel: outputs, errors, parameters, the executed copy.</summary>
public class NotebookRunnerTests
{
    /// <summary>A notebook file in a fresh folder, read back as the runner reads it.</summary>
    internal static (InteractiveDocument doc, string path) Notebook(params (string type, string source, string[] tags)[] cells)
    {
        var folder = TestFiles.TempFolder("xray-nb-");
        var doc = NotebookDocument.CreatePolyglot();
        foreach (var (type, source, tags) in cells)
        {
            var cell = doc.AddCell(type, source);
            foreach (var t in tags) cell.AddTag(t);
        }
        var path = Path.Combine(folder, "test.ipynb");
        doc.Save(path);
        return (NotebookFile.Load(path), path);
    }

    internal static (string, string, string[]) Code(string source, params string[] tags) => ("code", source, tags);

    internal static async Task<(NotebookRunResult result, NotebookDocument executed)> Run(
        (InteractiveDocument doc, string path) notebook, NotebookRunOptions? options = null)
    {
        var result = await NotebookRunner.RunAsync(notebook.doc, Path.GetDirectoryName(notebook.path)!, options);
        // What the executed copy holds, as written to disk.
        return (result, NotebookDocument.Parse(NotebookFile.ToJson(notebook.doc)));
    }

    internal static string Text(JsonNode? node) => node switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l!.GetValue<string>())),
        JsonValue v => v.GetValue<string>(),
        _ => "",
    };

    [Fact]
    public async Task Every_cell_runs_in_order_with_state_outputs_and_timings_recorded()
    {
        var (result, executed) = await Run(Notebook(("markdown", "# 1. Setup", Array.Empty<string>()),
            Code("var n = 3;\nint Twice(int v) => 2 * v;"), Code("Console.WriteLine(n * 2);\nConsole.Write(\"more\");\nTwice(n) + 1")));
        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal(2, result.CellsRun);
        Assert.Empty(executed.Cells[1].Outputs); // ends with a semicolon: nothing shown
        var last = executed.Cells[2];
        Assert.Equal(2, last.ExecutionCount);
        var stream = last.Outputs[0]!;
        Assert.Equal("stream", stream["output_type"]!.GetValue<string>());
        Assert.Equal("stdout", stream["name"]!.GetValue<string>());
        Assert.Equal("6\nmore", Text(stream["text"]).Replace("\r\n", "\n")); // consecutive writes: one output
        Assert.Equal("execute_result", last.Outputs[1]!["output_type"]!.GetValue<string>());
        Assert.Equal("7", Text(last.Outputs[1]!["data"]!["text/plain"]));
        Assert.Contains("<pre>7</pre>", Text(last.Outputs[1]!["data"]!["text/html"])); // as VS Code shows it
        Assert.Equal("completed", last.Metadata["papermill"]!["status"]!.GetValue<string>());
        Assert.True(last.Metadata["papermill"]!["duration"]!.GetValue<double>() >= 0);
        Assert.Equal("completed", executed.Metadata["papermill"]!["status"]!.GetValue<string>());
        Assert.Null(executed.Metadata["kernelInfo"]); // no stray top-level kernelInfo (Notebook.Write adds one)
    }

    [Fact]
    public async Task Records_show_as_a_table_and_the_metadata_round_trips()
    {
        var notebook = Notebook(Code("record Row(string Name, int Count);\ndisplay(new[] { new Row(\"NORMAL\", 3), new Row(\"COVID19\", 1) });", "custom-tag"));
        var (result, executed) = await Run(notebook);
        Assert.True(result.Succeeded, result.Error?.Message);
        var table = executed.Cells[0].Outputs.Single()!;
        Assert.Equal("display_data", table["output_type"]!.GetValue<string>());
        Assert.Contains("<table", Text(table["data"]!["text/html"])); // a list of records is a table, as in VS Code
        Assert.Contains("COVID19", Text(table["data"]!["text/plain"]));
        Assert.True(executed.Cells[0].HasTag("custom-tag"));
        Assert.Empty(PolyglotMetadata.Problems(executed));
        Assert.EndsWith("}\n", NotebookFile.ToJson(notebook.doc));
    }

    [Fact]
    public async Task A_thrown_exception_stops_the_run_with_its_cell_and_line()
    {
        var (result, executed) = await Run(Notebook(Code("var a = 1;"), Code("var b = 2;\n\nthrow new InvalidOperationException(\"boom\");"), Code("var c = 3;")));
        Assert.False(result.Succeeded);
        Assert.Equal(2, result.FailedCell);
        Assert.Equal("InvalidOperationException", result.Error!.Name);
        Assert.Equal(3, result.Error.Line);
        var error = executed.Cells[1].Outputs.Single()!;
        Assert.Equal("error", error["output_type"]!.GetValue<string>());
        Assert.Equal("InvalidOperationException", error["ename"]!.GetValue<string>());
        Assert.Equal("(line 3) boom", error["evalue"]!.GetValue<string>());
        Assert.Null(executed.Cells[2].ExecutionCount); // never ran
        Assert.Equal("failed", executed.Cells[1].Metadata["papermill"]!["status"]!.GetValue<string>());
        Assert.Contains("cell 2, line 3", executed.Metadata["papermill"]!["exception"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_runtime_error_in_a_method_names_the_throwing_line_even_after_a_magic()
    {
        // The kernel compiles the cell without "#!csharp" and blank leading lines; lines still count in the cell.
        var (result, _) = await Run(Notebook(Code("#!csharp\n\nint Parse(string s) =>\n    int.Parse(s);\nvar ok = Parse(\"1\");\nParse(\"x\");")));
        Assert.Equal("FormatException", result.Error!.Name);
        Assert.Equal(4, result.Error.Line);
    }

    [Fact]
    public async Task A_compilation_error_names_its_line()
    {
        var (result, executed) = await Run(Notebook(Code("var a = 1;\nvar b = undefinedThing + 1;")));
        Assert.Equal("CompilationError", result.Error!.Name);
        Assert.Equal(2, result.Error.Line);
        Assert.Contains("undefinedThing", result.Error.Message);
        Assert.Contains("CS0103", executed.Cells[0].Outputs.Single()!["evalue"]!.GetValue<string>());
    }

    [Fact]
    public async Task Other_languages_are_refused_by_the_kernel()
    {
        var (result, _) = await Run(Notebook(Code("#!fsharp\nlet x = 1")));
        Assert.False(result.Succeeded);
        Assert.Contains("#!fsharp", result.Error!.Message);
    }

    [Fact]
    public async Task Parameters_are_injected_after_the_parameters_cell_with_their_declared_types()
    {
        var (result, executed) = await Run(Notebook(
                Code("var epochs = 10;\ndouble learningRate = 1e-3;\nvar dataDir = \"data/synthetic\";\nvar augment = false;", "parameters"),
                Code("$\"{epochs.GetType().Name}:{epochs} {learningRate.GetType().Name}:{learningRate} {dataDir} {augment}\"")),
            new NotebookRunOptions
            {
                Parameters = new Dictionary<string, string>
                {
                    ["epochs"] = "2", ["learningRate"] = "0.01", ["dataDir"] = "/tmp/x \"quoted\"", ["augment"] = "true",
                },
            });
        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.True(executed.Cells[1].HasTag("injected-parameters"));
        Assert.Empty(PolyglotMetadata.Problems(executed)); // the injected cell is a C# cell VS Code opens
        var shown = Text(executed.Cells[2].Outputs.Single()!["data"]!["text/plain"]);
        Assert.Equal("Int32:2 Double:0.01 /tmp/x \"quoted\" True", shown);
        Assert.Equal("2", executed.Metadata["papermill"]!["parameters"]!["epochs"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("epochs", "ten", "declared as int")]
    [InlineData("missing", "1", "not declared in the parameters cell")]
    public async Task Bad_parameters_are_refused_with_a_clear_message(string name, string value, string expected)
    {
        var notebook = Notebook(Code("var epochs = 10;", "parameters"));
        var e = await Assert.ThrowsAsync<ArgumentException>(() => NotebookRunner.RunAsync(notebook.doc, Path.GetDirectoryName(notebook.path)!,
            new NotebookRunOptions { Parameters = new Dictionary<string, string> { [name] = value } }));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public async Task Rerunning_replaces_old_outputs()
    {
        var notebook = Notebook(Code("1 + 1"));
        await Run(notebook);
        var (_, executed) = await Run(notebook);
        Assert.Single(executed.Cells[0].Outputs);
    }
}
