namespace XRay.Notebooks.Tests;

/// <summary>`xray notebook run` end to end: exit codes, the executed copy and parameters.</summary>
public class NotebookCommandTests
{
    private static int Xray(params string[] args) => global::XRay.Cli.Program.BuildRoot().Parse(args).Invoke();

    [Fact]
    public void Run_exits_0_and_writes_the_executed_notebook()
    {
        var doc = NotebookRunnerTests.Notebook(("code", "var n = 1;", new[] { "parameters" }), ("code", "n * 10", Array.Empty<string>()));
        var output = Path.Combine(Path.GetDirectoryName(doc.Path)!, "out", "executed.ipynb");
        Assert.Equal(0, Xray("notebook", "run", doc.Path!, "-o", output, "-p", "n=4"));
        var executed = Format.NotebookDocument.Load(output);
        Assert.Equal("40", executed.Cells[2].Outputs.Single()!["data"]!["text/plain"]!.GetValue<string>());
    }

    [Fact]
    public void Run_exits_1_when_a_cell_fails_and_2_on_bad_input()
    {
        var doc = NotebookRunnerTests.Notebook(("code", "throw new Exception(\"x\");", Array.Empty<string>()));
        var output = Path.Combine(Path.GetDirectoryName(doc.Path)!, "failed.ipynb");
        Assert.Equal(1, Xray("notebook", "run", doc.Path!, "-o", output));
        Assert.True(File.Exists(output));
        Assert.Equal(2, Xray("notebook", "run", "/nonexistent/x.ipynb"));
        Assert.Equal(2, Xray("notebook", "run", doc.Path!, "-p", "novalue"));
    }
}
