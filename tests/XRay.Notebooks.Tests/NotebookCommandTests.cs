namespace XRay.Notebooks.Tests;

/// <summary>`xray notebook run` end to end: exit codes, the executed copy and parameters.</summary>
public class NotebookCommandTests
{
    private static int Xray(params string[] args) => global::XRay.Cli.Program.Invoke(args);

    [Fact]
    public void Run_exits_0_and_writes_the_executed_notebook()
    {
        var (_, path) = NotebookRunnerTests.Notebook(("code", "var n = 1;", new[] { "parameters" }), ("code", "n * 10", Array.Empty<string>()));
        var output = Path.Combine(Path.GetDirectoryName(path)!, "out", "executed.ipynb");
        Assert.Equal(0, Xray("notebook", "run", path, "-o", output, "-p", "n=4"));
        var executed = Format.NotebookDocument.Load(output);
        Assert.Equal("40", NotebookRunnerTests.Text(executed.Cells[2].Outputs.Single()!["data"]!["text/plain"]));
        Assert.EndsWith("}\n", File.ReadAllText(output));
    }

    [Fact]
    public void A_timed_out_cell_exits_1_with_the_timeout_in_the_executed_copy()
    {
        var (_, path) = NotebookRunnerTests.Notebook(("code", "while (true) { }", Array.Empty<string>()));
        var output = Path.Combine(Path.GetDirectoryName(path)!, "timeout.ipynb");
        Assert.Equal(1, Xray("notebook", "run", path, "-o", output, "--timeout", "2"));
        Assert.Equal("TimeoutException", Format.NotebookDocument.Load(output).Cells[0].Outputs.Single()!["ename"]!.GetValue<string>());
    }

    [Fact]
    public void Run_exits_1_when_a_cell_fails_and_2_on_bad_input()
    {
        var (_, path) = NotebookRunnerTests.Notebook(("code", "throw new Exception(\"x\");", Array.Empty<string>()));
        var output = Path.Combine(Path.GetDirectoryName(path)!, "failed.ipynb");
        Assert.Equal(1, Xray("notebook", "run", path, "-o", output));
        Assert.Equal("error", Format.NotebookDocument.Load(output).Cells[0].Outputs.Single()!["output_type"]!.GetValue<string>());
        Assert.Equal(1, Xray("notebook", "run", "/nonexistent/x.ipynb")); // a file it cannot read: failure, not usage
        Assert.Equal(2, Xray("notebook", "run", path, "-p", "novalue"));
        Assert.Equal(2, Xray("notebook", "run", path, "--timeout", "0"));
    }
}
