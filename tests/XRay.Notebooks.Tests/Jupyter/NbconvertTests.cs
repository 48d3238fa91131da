using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace XRay.Notebooks.Tests.Jupyter;

/// <summary>
/// The Jupyter way in, without a browser: Debian's `jupyter nbconvert --execute` runs notebooks, unchanged, on the .NET
/// kernel ./build.sh registers (artifacts/jupyter/kernels, found through JUPYTER_PATH), as a learner on a fresh clone
/// with the synthetic set would.
/// </summary>
[Trait("Category", TestCategories.Slow)]
public sealed partial class NbconvertTests(JupyterWorkspace workspace) : IClassFixture<JupyterWorkspace>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    [GeneratedRegex(@"Now listening on: (\S+)")]
    private static partial Regex Listening();

    [Fact]
    public void The_repo_local_kernelspec_runs_the_local_tool_with_http_local_only()
    {
        var argv = JsonNode.Parse(File.ReadAllText(JupyterWorkspace.KernelSpec))!["argv"]!.AsArray().Select(a => (string)a!).ToList();
        Assert.Equal(new[] { "dotnet", "interactive", "jupyter" }, argv.Take(3));
        Assert.Contains("{connection_file}", argv);
        Assert.Contains("--http-local-only", argv);
        // Cells run off the kernel's main thread: one shared heap keeps a training step's large blocks (GlibcAllocator).
        var env = JsonNode.Parse(File.ReadAllText(JupyterWorkspace.KernelSpec))!["env"]!;
        Assert.Contains(XRay.Runtime.GlibcAllocator.SharedArenaTunable, ((string)env["GLIBC_TUNABLES"]!).Split(':'));
    }

    [Fact]
    [Trait("Category", TestCategories.Jupyter)]
    public void Nbconvert_runs_00_setup_which_finds_the_synthetic_set_by_itself_and_counts_it()
    {
        var outputs = RunWithNoFailedCell("00-setup.ipynb");
        Assert.Contains(Path.Combine(workspace.Root, "data", "synthetic"), outputs);
        Assert.Contains($"(total {workspace.TestImages})", outputs); // the test split the workspace drew
    }

    [Fact]
    [Trait("Category", TestCategories.Jupyter)]
    public void Nbconvert_runs_04_cnn_which_draws_its_pictures_and_the_model_summary()
    {
        var outputs = RunWithNoFailedCell("04-cnn.ipynb");
        Assert.Contains("xray-model-summary", outputs);
        // input, Sobel convolution, ReLU, GELU, max pool
        Assert.True(Regex.Count(outputs, "<img src=\"data:image/png;base64,") >= 5, "04-cnn should show its five pictures");
    }

    /// <summary>Runs a notebook unchanged; returns its outputs' text and HTML.</summary>
    private string RunWithNoFailedCell(string name)
    {
        var (executed, log) = workspace.Execute(workspace.Copy(name), Timeout);

        Assert.Empty(JupyterWorkspace.Problems(executed));
        var code = executed["cells"]!.AsArray().Where(c => (string?)c!["cell_type"] == "code").ToList();
        Assert.Equal(Enumerable.Range(1, code.Count), code.Select(c => (int)c!["execution_count"]!)); // in order, each once
        Assert.Equal(JupyterWorkspace.KernelName, (string?)executed["metadata"]!["kernelspec"]!["name"]);
        // The kernel's HTTP API (it serves the page its JavaScript) listens on 127.0.0.1 only: --http-local-only.
        var addresses = Listening().Matches(log).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(addresses);
        Assert.All(addresses, a => Assert.StartsWith("http://127.0.0.1:", a));
        Assert.Empty(workspace.ProcessesLeftInside()); // nbconvert shut its kernel down

        return string.Concat(code.SelectMany(c => c!["outputs"]!.AsArray())
            .SelectMany(o => new[] { o!["data"]?["text/plain"], o["data"]?["text/html"] })
            .Select(JupyterWorkspace.Text));
    }
}
