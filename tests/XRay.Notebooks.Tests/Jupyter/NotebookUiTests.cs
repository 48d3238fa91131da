using System.Diagnostics;
using Microsoft.Playwright;
using XRay.TestSupport;

namespace XRay.Notebooks.Tests.Jupyter;

/// <summary>
/// The Jupyter way in as a learner sees it: the classic Notebook UI in Debian's Chromium runs 06-evaluation and
/// 10-ml-classifiers top to bottom (Cell > Run All) and draws their plotly charts offline: every request stays on 127.0.0.1.
/// </summary>
[Trait("Category", TestCategories.Browser)]
[Trait("Category", TestCategories.Jupyter)]
[Trait("Category", TestCategories.Slow)]
public sealed class NotebookUiTests(JupyterWorkspace workspace) : IClassFixture<JupyterWorkspace>
{
    // The kernel answered kernel_info and the indicator shows it idle.
    private const string KernelReady = """
        () => window.Jupyter?.notebook?.kernel?.is_connected() && Jupyter.notebook.kernel.info_reply?.protocol_version !== undefined
          && document.querySelector('#kernel_indicator_icon.kernel_idle_icon') !== null
        """;

    // Queued cells show "*"; after an error the later cells may be aborted (no number) or fail too.
    private const string RunFinished = """
        () => {
          const code = Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code');
          if (code.some(c => c.input_prompt_number === '*')) return false;
          return code.every(c => typeof c.input_prompt_number === 'number') || document.querySelector('.output_error') !== null;
        }
        """;

    // The text plotly draws on each chart: layout annotations (or a heatmap's own cell text).
    private const string ChartTexts = """
        () => [...document.querySelectorAll('.output_area .js-plotly-plot')].map(plot =>
          [...plot.querySelectorAll('g.annotation-text-g text, .heatmaplayer text')].map(t => t.textContent.trim()))
        """;

    [Fact]
    public async Task Run_all_in_the_notebook_ui_draws_06s_confusion_matrix_with_9_annotated_cells_offline()
    {
        TrainWith05();
        workspace.Copy("06-evaluation.ipynb"); // unchanged: its defaults find the workspace's data and runs

        await RunAllAsync("06-evaluation.ipynb", async page =>
        {
            // The raw confusion matrix: 3 x 3 cells, each annotated with its count; the counts add up to the test split.
            // (The normalized one has fractions.)
            await page.WaitForFunctionAsync($"() => ({ChartTexts})().some(t => t.length === 9)", null,
                new PageWaitForFunctionOptions { Timeout = 30_000, PollingInterval = 250 });
            var charts = await page.EvaluateAsync<string[][]>(ChartTexts);
            var counts = charts.Where(t => t.Length == 9 && t.All(x => int.TryParse(x, out _))).ToList();
            Assert.True(counts.Count == 1, $"one chart with 9 integer cells, got: {string.Join(" | ", charts.Select(t => string.Join(",", t)))}");
            Assert.Equal(workspace.TestImages, counts[0].Sum(int.Parse));
        });
    }

    /// <summary>
    /// Part 2 in Jupyter's kernel, which loads XRay.dll by its #r path: LightGBM's and FastTree's native libraries must
    /// resolve without an app's deps.json (they once failed here with DllNotFoundException: lib_lightgbm), and the
    /// side-by-side confusion matrices of the CNN's head and the three classifiers are drawn.
    /// </summary>
    [Fact]
    public async Task Run_all_in_the_notebook_ui_trains_10s_classifiers_with_their_native_libraries()
    {
        TrainWith05();
        workspace.Copy("10-ml-classifiers.ipynb", "iterations = 30;");

        await RunAllAsync("10-ml-classifiers.ipynb", async page =>
        {
            var text = await page.EvaluateAsync<string>("() => document.querySelector('#notebook-container').innerText");
            Assert.DoesNotContain("DllNotFoundException", text);
            foreach (var model in new[] { "CNN (dense head)", "LightGbm", "FastTree", "Linear" }) Assert.Contains(model, text);
            // Four confusion matrices side by side, 9 cells each.
            await page.WaitForFunctionAsync($"() => ({ChartTexts})().filter(t => t.length === 9).length >= 4", null,
                new PageWaitForFunctionOptions { Timeout = 30_000, PollingInterval = 250 });
        });
    }

    // 06 and 10 read the checkpoint 05 writes under ../artifacts/runs: train it briefly with `xray notebook run`
    // (parameters: 64 px, 1 epoch; the Notebook UI has none).
    private void TrainWith05()
    {
        var runs = Path.Combine(workspace.Root, "artifacts", "runs");
        if (File.Exists(Path.Combine(runs, "05-training", "checkpoint.pt"))) return;
        var training = workspace.Copy("05-training.ipynb");
        Xray("notebook", "run", training, "-o", Path.Combine(workspace.Root, "executed", "05-training.ipynb"),
            "-p", $"dataDir={Path.Combine(workspace.Root, "data", "synthetic")}", "-p", $"runsDir={runs}",
            "-p", "imageSize=64", "-p", "epochs=1", "-p", "batchSize=16");
        Assert.True(File.Exists(Path.Combine(runs, "05-training", "checkpoint.pt")));
    }

    /// <summary>
    /// Opens <paramref name="name"/> in the classic Notebook UI, runs Cell > Run All, and checks that every code cell ran
    /// in order without an error, that nothing left 127.0.0.1, and that the server and kernel are gone afterwards;
    /// <paramref name="check"/> looks at the page before it closes.
    /// </summary>
    private async Task RunAllAsync(string name, Func<IPage, Task> check)
    {
        await using (var server = await NotebookServer.StartAsync(workspace, TimeSpan.FromSeconds(60)))
        await using (var browser = await BrowserSession.ForServerAsync(server.BaseUrl))
        {
            var (page, errors) = await browser.OpenAsync($"/notebooks/{name}?token={server.Token}", "#notebook-container .code_cell");
            await page.WaitForFunctionAsync(KernelReady, null, new PageWaitForFunctionOptions { Timeout = 90_000, PollingInterval = 250 });

            await page.ClickAsync("#celllink");
            await page.ClickAsync("#run_all_cells > a");
            await page.WaitForFunctionAsync(RunFinished, null, new PageWaitForFunctionOptions { Timeout = 240_000, PollingInterval = 500 });

            var failures = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('.output_error')].map(e => e.innerText)");
            Assert.True(failures.Length == 0, string.Join("\n", failures));
            var prompts = await page.EvaluateAsync<int?[]>(
                "() => Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code').map(c => c.input_prompt_number)");
            Assert.Equal(Enumerable.Range(1, prompts.Length).Select(i => (int?)i), prompts);

            await check(page);

            // Debian's classic Notebook asks for two assets of its own it doesn't ship: the ipywidgets nbextension (Debian's
            // config enables it; python3-ipywidgets isn't installed) and a CodeMirror mode named after the .NET kernel's
            // language (polyglot-notebook). Both are the server's 404s before any cell runs, not the notebook's; every
            // other console error fails the test.
            var ours = errors.Where(e => !e.Contains("/nbextensions/widgets/", StringComparison.Ordinal)
                                         && !e.Contains("/codemirror/mode/polyglot-notebook/", StringComparison.Ordinal)
                                         && e != "Failed to load resource: the server responded with a status of 404 (Not Found)")
                .ToList();
            Assert.True(ours.Count == 0, string.Join("\n", ours));
            Assert.Empty(browser.ExternalRequests);
        }
        Assert.Empty(workspace.ProcessesLeftInside()); // the server and its kernel are gone
    }

    private static void Xray(params string[] args)
    {
        var xray = Path.Combine(Repository.Root(), "artifacts", "bin", "XRay.Cli", "release", "xray");
        Assert.True(File.Exists(xray), $"{xray} is missing: run ./build.sh test.");
        var start = new ProcessStartInfo(xray) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"xray {string.Join(' ', args)} ran for over 5 minutes");
        }
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"xray {string.Join(' ', args)} failed ({process.ExitCode}):\n{stderr.Result}{stdout.Result}");
    }
}
