using System.Diagnostics;
using System.Text.Json.Nodes;
using XRay.Synthetic;
using XRay.TestSupport;

namespace XRay.Notebooks.Tests.Jupyter;

/// <summary>
/// A fresh clone's layout for running notebooks under Jupyter without touching the repo's own folders: notebooks/ (copies),
/// data/synthetic (drawn as data-scripts/synthetic.sh would, so the notebooks' default dataDir finds it), artifacts/runs
/// of its own, and artifacts/bin linked to the repo's Release build (the notebooks #r ../artifacts/bin/XRay/release/XRay.dll).
/// It lives under the repo's artifacts/ because the kernel, the local tool `dotnet interactive`, resolves only under the
/// folder of .config/dotnet-tools.json, and Jupyter starts it in the notebook's folder.
/// </summary>
public sealed class JupyterWorkspace : IDisposable
{
    /// <summary>Debian's python3, where jupyter-notebook and jupyter-nbconvert install (a pyenv python3 on PATH would not see them).</summary>
    public const string Python = "/usr/bin/python3";
    public const string KernelName = ".net-csharp";
    public const int TestImagesPerClass = 6;

    public JupyterWorkspace()
    {
        var release = Path.Combine(Repository.Root(), "artifacts", "bin", "XRay", "release", "XRay.dll");
        if (!File.Exists(release)) throw new InvalidOperationException($"{release} is missing: the notebooks reference the Release build; run ./build.sh test.");
        if (!File.Exists(KernelSpec)) throw new InvalidOperationException($"{KernelSpec} is missing: run ./build.sh test (it registers the repo-local kernelspec).");
        if (!File.Exists(Python)) throw new InvalidOperationException($"{Python} is missing: run ./build.sh test (it installs jupyter-nbconvert).");
        var parent = Directory.CreateDirectory(Path.Combine(Repository.Root(), "artifacts", "jupyter-tests")).FullName;
        Root = Directory.CreateDirectory(Path.Combine(parent, Guid.NewGuid().ToString("N")[..12])).FullName;
        Notebooks = Directory.CreateDirectory(Path.Combine(Root, "notebooks")).FullName;
        Directory.CreateDirectory(Path.Combine(Root, "artifacts"));
        Directory.CreateSymbolicLink(BinLink, Path.Combine(Repository.Root(), "artifacts", "bin"));
        SyntheticChestXray.Generate(Path.Combine(Root, "data", "synthetic"),
            new SyntheticOptions { PerClass = 16, TestPerClass = TestImagesPerClass, Size = 64, Seed = 3 });
    }

    /// <summary>What JUPYTER_PATH names: ./build.sh registers the .NET kernelspecs under its kernels/ folder.</summary>
    public static string JupyterPath => Path.Combine(Repository.Root(), "artifacts", "jupyter");

    public static string KernelSpec => Path.Combine(JupyterPath, "kernels", KernelName, "kernel.json");

    public string Root { get; }
    public string Notebooks { get; }
    public int TestImages => 3 * TestImagesPerClass;
    private string BinLink => Path.Combine(Root, "artifacts", "bin");

    /// <summary>
    /// Copies notebooks/<paramref name="name"/> into the workspace. Lines in <paramref name="parameters"/> go into a cell
    /// tagged injected-parameters right after the one tagged parameters, as papermill does (Debian has no papermill); C#
    /// script lets a later cell declare the same variable again.
    /// </summary>
    public string Copy(string name, params string[] parameters)
    {
        var notebook = JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Root(), "notebooks", name)))!.AsObject();
        if (parameters.Length > 0)
        {
            var cells = notebook["cells"]!.AsArray();
            var index = cells.Select((c, i) => (c, i)).Single(x => Tags(x.c!).Contains("parameters")).i;
            var injected = cells[index]!.DeepClone().AsObject();
            injected["metadata"]!["tags"] = new JsonArray("injected-parameters");
            injected["source"] = string.Join('\n', parameters);
            cells.Insert(index + 1, injected);
        }
        var path = Path.Combine(Notebooks, name);
        File.WriteAllText(path, notebook.ToJsonString());
        // Every setup cell imports the shared using list next to the notebooks.
        File.Copy(Path.Combine(Repository.Root(), "notebooks", "usings.dib"), Path.Combine(Notebooks, "usings.dib"), overwrite: true);
        return path;
    }

    /// <summary>
    /// `jupyter nbconvert --execute --to notebook` with the repo-local .NET kernel, the whole run bounded by
    /// <paramref name="timeout"/>; returns the executed copy and what nbconvert and the kernel wrote to stderr.
    /// </summary>
    public (JsonObject Executed, string Log) Execute(string notebook, TimeSpan timeout)
    {
        var output = Path.Combine(Root, "executed");
        var start = Jupyter("nbconvert", "--execute", "--to", "notebook", "--output-dir", output,
            $"--ExecutePreprocessor.kernel_name={KernelName}", "--ExecutePreprocessor.startup_timeout=120",
            $"--ExecutePreprocessor.timeout={(int)timeout.TotalSeconds}", notebook);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true); // nbconvert and the kernel it started
            process.WaitForExit(TimeSpan.FromSeconds(10));
            Assert.Fail($"nbconvert ran {Path.GetFileName(notebook)} for over {timeout.TotalSeconds:0} s");
        }
        process.WaitForExit(); // the redirected streams drain
        var log = stderr.Result + stdout.Result;
        Assert.True(process.ExitCode == 0, $"nbconvert failed ({process.ExitCode}) on {Path.GetFileName(notebook)}:\n{log}");
        var executed = JsonNode.Parse(File.ReadAllText(Path.Combine(output, Path.GetFileName(notebook))))!.AsObject();
        return (executed, log);
    }

    /// <summary>Debian's Jupyter (python3 -m MODULE) with JUPYTER_PATH on the repo-local kernelspecs and its config and runtime files in the workspace.</summary>
    public ProcessStartInfo Jupyter(string module, params string[] args)
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Root,
        };
        start.ArgumentList.Add("-m");
        start.ArgumentList.Add(module);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["JUPYTER_PATH"] = JupyterPath;
        start.Environment["JUPYTER_CONFIG_DIR"] = Path.Combine(Root, ".jupyter", "config");
        start.Environment["JUPYTER_DATA_DIR"] = Path.Combine(Root, ".jupyter", "data");
        start.Environment["JUPYTER_RUNTIME_DIR"] = Path.Combine(Root, ".jupyter", "runtime");
        start.Environment["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1";
        return start;
    }

    /// <summary>
    /// Why each code cell of an executed notebook failed or did not run: error outputs (with the compiler's messages, which
    /// the kernel writes to stderr), missing execution counts. Warnings on stderr alone are not failures.
    /// </summary>
    public static List<string> Problems(JsonObject executed)
    {
        var problems = new List<string>();
        var code = executed["cells"]!.AsArray().Where(c => (string?)c!["cell_type"] == "code").ToList();
        for (var i = 0; i < code.Count; i++)
        {
            var cell = code[i]!;
            if (cell["execution_count"]?.GetValueKind() != System.Text.Json.JsonValueKind.Number) problems.Add($"code cell {i} did not run");
            foreach (var output in cell["outputs"]!.AsArray())
            {
                if ((string?)output!["output_type"] == "error") problems.Add($"code cell {i}: {output["ename"]}: {output["evalue"]} {StderrOf(cell)}");
            }
        }
        return problems;
    }

    /// <summary>Processes (kernels, servers) whose working folder is in the workspace: none should outlive a test.</summary>
    /// <summary>
    /// The processes still working inside the workspace after up to <paramref name="grace"/> (2 s by default): a kernel
    /// that was told to shut down can take a moment to exit, and one that never does is what the tests look for.
    /// </summary>
    public List<int> ProcessesLeftInside(TimeSpan? grace = null)
    {
        var deadline = DateTime.UtcNow + (grace ?? TimeSpan.FromSeconds(2));
        var left = ProcessesInside();
        while (left.Count > 0 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(100);
            left = ProcessesInside();
        }
        return left;
    }

    public List<int> ProcessesInside()
    {
        var inside = new List<int>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var cwd = new DirectoryInfo(Path.Combine(dir, "cwd")).LinkTarget;
                if (cwd is not null && (cwd + "/").StartsWith(Root + "/", StringComparison.Ordinal)) inside.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // exited, or not ours to read
        }
        return inside;
    }

    private static string StderrOf(JsonNode cell) =>
        string.Concat(cell["outputs"]!.AsArray().Where(o => (string?)o!["name"] == "stderr").Select(o => Text(o!["text"])));

    /// <summary>A notebook text field: one string, or a list of lines.</summary>
    public static string Text(JsonNode? node) =>
        node is JsonArray lines ? string.Concat(lines.Select(l => (string?)l)) : (string?)node ?? "";

    private static IEnumerable<string> Tags(JsonNode cell) =>
        cell["metadata"]?["tags"]?.AsArray().Select(t => (string?)t ?? "") ?? Enumerable.Empty<string>();

    public void Dispose()
    {
        Directory.Delete(BinLink); // the link only, never the build it points to
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
