using XRay.Notebooks.Format;
using XRay.Synthetic;
using XRay.TestSupport;

namespace XRay.Notebooks.Tests;

/// <summary>Makes one small synthetic set and a runs folder that the notebooks share, as a learner's run would.</summary>
public sealed class TutorialFixture : IDisposable
{
    public TutorialFixture()
    {
        Root = TestFiles.TempFolder("xray-tutorial-");
        Data = Path.Combine(Root, "data");
        SyntheticChestXray.Generate(Data, new SyntheticOptions { PerClass = 16, TestPerClass = 6, Size = 64, Seed = 3 });
        Runs = Path.Combine(Root, "runs");
    }

    public string Root { get; }
    public string Data { get; }
    public string Runs { get; }

    /// <summary>The small run's parameters for notebook <paramref name="name"/>: 64 px, 1 epoch, this fixture's data and runs.</summary>
    public Dictionary<string, string> Parameters(string name)
    {
        var parameters = new Dictionary<string, string>
        {
            ["dataDir"] = Data, ["imageSize"] = "64", ["epochs"] = "1", ["batchSize"] = "16", ["runsDir"] = Runs,
        };
        if (name.StartsWith("09"))
        {
            parameters["imageSize"] = "32";        // as the tutorial runs it (45 px in the larger-size row): 11 rows x 2 seeds stay quick
            parameters["repeats"] = "2";           // the fewest seeds that give an sd, so the table's and chart's sd paths run
        }
        if (name.StartsWith("10")) parameters["iterations"] = "30";
        if (name.StartsWith("07")) parameters["headEpochs"] = "1";       // two-phase: 1 epoch of the head, then 1 of fine-tuning
        if (name.StartsWith("12")) parameters["perClass"] = "40";          // the imbalanced set it draws: 40, 4 and 12 training images
        return parameters;
    }

    /// <summary>06, 08, 10 and 11 read the checkpoint 05 writes.</summary>
    public static bool NeedsTraining(string name) =>
        name.StartsWith("06") || name.StartsWith("08") || name.StartsWith("10") || name.StartsWith("11");

    public bool Trained => File.Exists(Path.Combine(Runs, "05-training", "checkpoint.pt"));

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}

/// <summary>
/// Every notebook in notebooks/ runs through the runner on a small synthetic set at 64 px for 1 epoch, in order
/// (06, 08, 10 and 11 read the checkpoint 05 writes). The notebooks reference the Release build (./build.sh builds it).
/// </summary>
public sealed class NotebooksTests(TutorialFixture fixture) : IClassFixture<TutorialFixture>
{
    private static string NotebooksFolder => Path.Combine(Repository.Root(), "notebooks");

    public static IEnumerable<object[]> Names() =>
        Directory.GetFiles(Path.Combine(Repository.Root(), "notebooks"), "*.ipynb")
            .Select(Path.GetFileName).Order(StringComparer.Ordinal).Select(n => new object[] { n! });

    [Fact]
    public void Notebooks_are_numbered_from_00_without_gaps()
    {
        var names = Names().Select(n => (string)n[0]).ToList();
        Assert.Contains("10-ml-classifiers.ipynb", names);   // part 2 of the series
        Assert.Contains("11-deployment.ipynb", names);       // part 3
        Assert.Equal(Enumerable.Range(0, names.Count).Select(i => i.ToString("00")), names.Select(n => n[..2]));
    }

    /// <summary>Validation (what early stopping, best checkpoints and comparisons choose on) never comes from the test split.</summary>
    [Theory]
    [MemberData(nameof(Names))]
    public void No_notebook_selects_a_model_on_the_test_split(string name)
    {
        var doc = NotebookDocument.Load(Path.Combine(NotebooksFolder, name));
        var lines = doc.Cells.Where(c => c.CellType == "code").SelectMany(c => c.Source.Split('\n'))
            .Where(l => l.TrimStart().StartsWith("var val ", StringComparison.Ordinal) || l.Contains("Fit(", StringComparison.Ordinal));
        Assert.All(lines, line =>
        {
            Assert.DoesNotContain("dataset.Test", line);
            Assert.DoesNotContain("Split(\"test\")", line);
        });
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Committed_notebooks_have_no_outputs_and_valid_polyglot_metadata(string name)
    {
        var doc = NotebookDocument.Load(Path.Combine(NotebooksFolder, name));
        Assert.Empty(PolyglotMetadata.Problems(doc));
        Assert.All(doc.Cells.Where(c => c.CellType == "code"), c =>
        {
            Assert.Empty(c.Outputs);
            Assert.Null(c.ExecutionCount);
        });
        var code = doc.Cells.Where(c => c.CellType == "code").ToList();
        // One short setup cell: the references, the shared using list (notebooks/usings.dib), not a block of usings, and
        // the namespace of each optional assembly the notebook loads, exactly when its code uses that assembly's types.
        var optional = OptionalAssemblies.Where(a => UsesTypesOf(a, code.Skip(1))).Select(a => a.GetName().Name!).ToList();
        var setup = new[] { Reference("XRay"), Reference("XRay.Display") }.Concat(optional.Select(Reference)).Append("#!import usings.dib").Concat(optional.Select(a => $"using {a};"));
        Assert.Equal(string.Join("\n", setup), code[0].Source.Trim().ReplaceLineEndings("\n"));
        Assert.True(code[1].HasTag("parameters"), $"{name}: the second code cell must be tagged \"parameters\"");
        foreach (var knob in new[] { "dataDir", "imageSize", "epochs", "batchSize", "learningRate", "seed" })
            Assert.Contains(knob, Parameters.ParameterInjector.Declarations(code[1].Source).Keys);
        Assert.Equal("markdown", doc.Cells[0].CellType);
        Assert.StartsWith("# ", doc.Cells[0].Source); // a numbered title
    }

    /// <summary>Assemblies beside XRay.dll and XRay.Display.dll that only some notebooks load (each is one namespace, named as the assembly).</summary>
    private static readonly System.Reflection.Assembly[] OptionalAssemblies = [typeof(XRay.Classic.ClassicModel).Assembly];

    private static string Reference(string assembly) => $"#r \"../artifacts/bin/{assembly}/release/{assembly}.dll\"";

    private static bool UsesTypesOf(System.Reflection.Assembly assembly, IEnumerable<NotebookCell> cells)
    {
        var names = assembly.GetExportedTypes().Select(t => t.Name.Split('`')[0]).ToHashSet();
        return cells.Any(c => System.Text.RegularExpressions.Regex.Matches(c.Source, @"\b[A-Z]\w*").Any(m => names.Contains(m.Value)));
    }

    /// <summary>usings.dib, which every notebook imports, names only namespaces every notebook has loaded (XRay.dll's and XRay.Display.dll's).</summary>
    [Fact]
    public void The_shared_using_list_names_no_optional_assembly()
    {
        var usings = File.ReadAllLines(Path.Combine(NotebooksFolder, "usings.dib")).Where(l => l.StartsWith("using XRay.", StringComparison.Ordinal)).ToList();
        Assert.Contains("using XRay.Data;", usings);
        var core = typeof(XRay.XRayLogging).Assembly.GetTypes().Concat(typeof(XRay.Display.NotebookFormatters).Assembly.GetTypes()).Select(t => t.Namespace).ToHashSet();
        Assert.All(usings, u => Assert.Contains(u["using ".Length..^1], core));
    }

    [Theory]
    [MemberData(nameof(Names))]
    [Trait("Category", TestCategories.Slow)]
    public async Task Each_notebook_runs_on_the_synthetic_set(string name)
    {
        var release = Path.Combine(Repository.Root(), "artifacts", "bin", "XRay", "release", "XRay.dll");
        Assert.True(File.Exists(release), $"{release} is missing: the notebooks reference the Release build; run ./build.sh build.");
        var doc = NotebookFile.Load(Path.Combine(NotebooksFolder, name));
        var parameters = fixture.Parameters(name);
        if (TutorialFixture.NeedsTraining(name)) await EnsureTrained();
        var result = await NotebookRunner.RunAsync(doc, NotebooksFolder, new NotebookRunOptions { Parameters = parameters, CellTimeout = TimeSpan.FromMinutes(5) });
        Assert.True(result.Succeeded,
            $"{name}: cell {result.FailedCell}, line {result.Error?.Line}: {result.Error?.Name}: {result.Error?.Message}");
        var executed = NotebookDocument.Parse(NotebookFile.ToJson(doc));
        Assert.Equal("completed", executed.Metadata["papermill"]!["status"]!.GetValue<string>());
        if (name.StartsWith("09"))
        {
            // The comparison's promises: a chance row, mean ± sd over the seeds, and error bars in the chart.
            var shown = string.Join("\n", executed.Cells.SelectMany(c => c.Outputs)
                .SelectMany(o => o!["data"] is System.Text.Json.Nodes.JsonObject d ? d.Select(kv => NotebookRunnerTests.Text(kv.Value)) : Enumerable.Empty<string>()));
            Assert.Contains(XRay.Training.Experiments.ExperimentReport.MajorityName, shown);
            Assert.Contains("± ", shown);
            Assert.Contains("(n=2)", shown);
            Assert.Contains("error_y", shown);
        }
        if (name.StartsWith("05"))
        {
            // The live progress is one output that ends with the last epoch's line, not one output per redraw.
            var progress = executed.Cells.SelectMany(c => c.Outputs).Where(o => NotebookRunnerTests.Text(o!["data"]?["text/plain"]).StartsWith("Epoch 1/1")).ToList();
            Assert.Single(progress);
            Assert.Contains("val_accuracy", NotebookRunnerTests.Text(progress[0]!["data"]!["text/plain"]).Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        }
    }

    // 06, 08 and 10 read 05's checkpoint; xunit may run theory rows in any order, so make sure it exists.
    private async Task EnsureTrained()
    {
        if (fixture.Trained) return;
        await Each_notebook_runs_on_the_synthetic_set("05-training.ipynb");
    }
}
