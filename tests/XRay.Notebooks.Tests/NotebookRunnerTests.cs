using System.Text.Json.Nodes;
using XRay.Notebooks.Format;

namespace XRay.Notebooks.Tests;

public class NotebookRunnerTests
{
    internal static NotebookDocument Notebook(params (string type, string source, string[] tags)[] cells)
    {
        var folder = Path.Combine(Path.GetTempPath(), "xray-nb-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var doc = NotebookDocument.CreatePolyglot();
        foreach (var (type, source, tags) in cells)
        {
            var cell = doc.AddCell(type, source);
            foreach (var t in tags) cell.AddTag(t);
        }
        var path = Path.Combine(folder, "test.ipynb");
        doc.Save(path);
        return NotebookDocument.Load(path);
    }

    private static (string, string, string[]) Code(string source, params string[] tags) => ("code", source, tags);

    [Fact]
    public async Task Every_cell_runs_in_order_and_outputs_are_recorded()
    {
        var doc = Notebook(("markdown", "# 1. Setup", Array.Empty<string>()), Code("var n = 3;"), Code("Console.WriteLine(n * 2);\nn + 1"));
        var result = await NotebookRunner.RunAsync(doc);
        Assert.True(result.Succeeded);
        Assert.Equal(2, result.CellsRun);
        var last = doc.Cells[2];
        Assert.Equal(2, last.ExecutionCount);
        Assert.Equal("stream", last.Outputs[0]!["output_type"]!.GetValue<string>());
        Assert.Equal("6\n", last.Outputs[0]!["text"]!.GetValue<string>().Replace("\r\n", "\n"));
        Assert.Equal("4", last.Outputs[1]!["data"]!["text/plain"]!.GetValue<string>());
        Assert.Equal("completed", last.Metadata["papermill"]!["status"]!.GetValue<string>());
        Assert.True(last.Metadata["papermill"]!["duration"]!.GetValue<double>() >= 0);
        Assert.Equal("completed", doc.Metadata["papermill"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_failing_cell_stops_the_run_and_the_error_is_in_the_notebook()
    {
        var doc = Notebook(Code("var a = 1;"), Code("var b = 2;\nthrow new Exception(\"boom\");"), Code("var c = 3;"));
        var result = await NotebookRunner.RunAsync(doc);
        Assert.False(result.Succeeded);
        Assert.Equal(2, result.FailedCell);
        Assert.Equal(2, result.Error!.Line);
        var error = doc.Cells[1].Outputs.Single()!;
        Assert.Equal("error", error["output_type"]!.GetValue<string>());
        Assert.Equal("(line 2) boom", error["evalue"]!.GetValue<string>());
        Assert.Null(doc.Cells[2].ExecutionCount); // never ran
        Assert.Contains("cell 2, line 2", doc.Metadata["papermill"]!["exception"]!.GetValue<string>());
    }

    [Fact]
    public async Task Parameters_are_injected_after_the_parameters_cell_with_their_declared_types()
    {
        var doc = Notebook(
            Code("var epochs = 10;\ndouble learningRate = 1e-3;\nvar dataDir = \"data/synthetic\";\nvar augment = false;", "parameters"),
            Code("$\"{epochs.GetType().Name}:{epochs} {learningRate.GetType().Name}:{learningRate} {dataDir} {augment}\""));
        var result = await NotebookRunner.RunAsync(doc, new NotebookRunOptions
        {
            Parameters = new Dictionary<string, string>
            {
                ["epochs"] = "2", ["learningRate"] = "0.01", ["dataDir"] = "/tmp/x \"quoted\"", ["augment"] = "true",
            },
        });
        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.True(doc.Cells[1].HasTag("injected-parameters"));
        var shown = doc.Cells[2].Outputs.Single()!["data"]!["text/plain"]!.GetValue<string>();
        Assert.Equal("Int32:2 Double:0.01 /tmp/x \"quoted\" True", shown);
    }

    [Theory]
    [InlineData("epochs", "ten", "declared as int")]
    [InlineData("missing", "1", "not declared in the parameters cell")]
    public async Task Bad_parameters_are_refused_with_a_clear_message(string name, string value, string expected)
    {
        var doc = Notebook(Code("var epochs = 10;", "parameters"));
        var e = await Assert.ThrowsAsync<ArgumentException>(() =>
            NotebookRunner.RunAsync(doc, new NotebookRunOptions { Parameters = new Dictionary<string, string> { [name] = value } }));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public async Task A_display_updated_by_a_later_cell_shows_its_last_value()
    {
        var doc = Notebook(Code("var progress = display(\"starting\");"), Code("progress.Update(\"epoch 3/3\");"));
        await NotebookRunner.RunAsync(doc);
        Assert.Equal("epoch 3/3", doc.Cells[0].Outputs.Single()!["data"]!["text/plain"]!.GetValue<string>());
    }

    [Fact]
    public async Task Rerunning_replaces_old_outputs()
    {
        var doc = Notebook(Code("1 + 1"));
        await NotebookRunner.RunAsync(doc);
        await NotebookRunner.RunAsync(doc);
        Assert.Single(doc.Cells[0].Outputs);
    }
}
