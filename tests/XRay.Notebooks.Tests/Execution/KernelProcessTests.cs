using static XRay.Notebooks.Tests.NotebookRunnerTests;

namespace XRay.Notebooks.Tests;

/// <summary>What the kernel process adds: the notebook's folder, a hard timeout, live displays, our formatters.</summary>
public class KernelProcessTests
{
    // The first cell compiles in a cold kernel: on a busy machine that alone took over 3 s, so a 3 s limit stopped the
    // wrong cell. The limit leaves room for that; the blocking cell still reaches it, whatever the load.
    [Fact]
    public async Task A_blocking_cell_is_killed_at_its_timeout_and_earlier_outputs_stay()
    {
        var (result, executed) = await Run(Notebook(Code("Console.WriteLine(\"before\");\n1 + 1"),
                Code("Console.WriteLine(\"still here\");\nSystem.Threading.Thread.Sleep(System.Threading.Timeout.Infinite);"), Code("var never = 1;")),
            new NotebookRunOptions { CellTimeout = TimeSpan.FromSeconds(30) });
        Assert.False(result.Succeeded);
        Assert.Equal(2, result.FailedCell);
        Assert.Equal("TimeoutException", result.Error!.Name);
        Assert.Contains("kernel process was stopped", result.Error.Message);
        Assert.Equal("before\n", Text(executed.Cells[0].Outputs[0]!["text"]).Replace("\r\n", "\n"));
        Assert.Equal("2", Text(executed.Cells[0].Outputs[1]!["data"]!["text/plain"]));
        var blocked = executed.Cells[1].Outputs;
        Assert.Equal("still here\n", Text(blocked[0]!["text"]).Replace("\r\n", "\n")); // what it wrote before blocking
        Assert.Equal("TimeoutException", blocked[1]!["ename"]!.GetValue<string>());
        Assert.Null(executed.Cells[2].ExecutionCount);
    }

    [Fact]
    public async Task A_busy_loop_is_killed_too()
    {
        var (result, _) = await Run(Notebook(Code("long n = 0;\nwhile (true) { n++; }")),
            new NotebookRunOptions { CellTimeout = TimeSpan.FromSeconds(2) });
        Assert.Equal("TimeoutException", result.Error!.Name);
    }

    [Fact]
    public async Task Code_runs_in_the_notebook_folder_and_references_resolve_from_there()
    {
        var notebook = Notebook(Code(
            "#r \"libs/XRay.dll\"\nusing System.IO;\nusing static TorchSharp.torch;\nvar text = File.ReadAllText(\"note.txt\");\n" +
            "XRay.Runtime.TorchRuntime.EnsureLoaded();\nvar total = ones(2, 3).sum().item<float>();\n$\"{text} {total}\""),
            Code("ones(1, 1, 8, 8)"));
        var folder = Path.GetDirectoryName(notebook.path)!;
        Directory.CreateDirectory(Path.Combine(folder, "libs"));
        // The library, as a notebook references it: a relative #r to the built dll.
        var bin = Path.GetDirectoryName(typeof(KernelProcessTests).Assembly.Location)!;
        File.Copy(Path.Combine(bin, "XRay.dll"), Path.Combine(folder, "libs", "XRay.dll"));
        File.WriteAllText(Path.Combine(folder, "note.txt"), "read me");
        var (result, executed) = await Run(notebook);
        Assert.True(result.Succeeded, result.Error?.Message + "\n" + string.Join("\n", result.Error?.Traceback ?? Array.Empty<string>()));
        Assert.Equal("read me 6", Text(executed.Cells[0].Outputs.Single()!["data"]!["text/plain"]));
        // Our tensor formatter, registered in the kernel process: an image-shaped tensor is a picture.
        var picture = executed.Cells[1].Outputs.Single()!["data"]!;
        Assert.Contains("<img src=\"data:image/png;base64,", Text(picture["text/html"]));
        Assert.StartsWith("[1x1x8x8], type = Float32", Text(picture["text/plain"]));
    }

    /// <summary>
    /// Cells run off the kernel's main thread, where glibc maps large blocks afresh unless all threads share one heap:
    /// the runner starts its kernel with that tunable, and the tensor memory pool keeps libtorch's large blocks on any
    /// thread; XRay inside the kernel says which one serves them.
    /// </summary>
    [Fact]
    public async Task The_kernel_process_shares_one_heap_so_training_keeps_its_large_blocks()
    {
        var bin = Path.GetDirectoryName(typeof(KernelProcessTests).Assembly.Location)!;
        var (result, executed) = await Run(Notebook(Code(
            $"#r \"{Path.Combine(bin, "XRay.dll")}\"\n" +
            "System.Environment.CurrentManagedThreadId != 1 ? XRay.Runtime.TorchRuntime.Describe()[\"blocks over 64 MB off the main thread\"] : \"main thread\"")));
        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal("kept for reuse (tensor memory pool)", Text(executed.Cells[0].Outputs.Single()!["data"]!["text/plain"]));
    }

    [Fact]
    public async Task Training_progress_is_one_output_updated_in_place_across_cells()
    {
        var bin = Path.GetDirectoryName(typeof(KernelProcessTests).Assembly.Location)!;
        var (result, executed) = await Run(Notebook(
            Code($"#r \"{Path.Combine(bin, "XRay.dll")}\"\nusing XRay.Training;\nvar sink = new NotebookProgressSink();\n" +
                 "var reporter = new ProgressReporter();\nsink.Write(\"Epoch 1/2\", final: true);"),
            Code("for (var i = 1; i <= 50; i++) sink.Write($\"{i}/50 [....]\", final: i == 50);\nsink.Write(\"Epoch 2/2\", final: true);\n" +
                 "reporter.GetType().GetField(\"sink\", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(reporter)!.GetType().Name")));
        Assert.True(result.Succeeded, result.Error?.Message);
        var progress = executed.Cells[0].Outputs.Single()!; // made by the first write, updated by the next cell
        Assert.Equal("display_data", progress["output_type"]!.GetValue<string>());
        Assert.Equal("Epoch 1/2\n50/50 [....]\nEpoch 2/2\n", Text(progress["data"]!["text/plain"]));
        // The second cell shows only its value: every update went to the first output, none added one.
        Assert.Equal("execute_result", executed.Cells[1].Outputs.Single()!["output_type"]!.GetValue<string>());
        // ProgressReporter picks the notebook sink by itself inside a notebook cell.
        Assert.Equal("NotebookProgressSink", Text(executed.Cells[1].Outputs.Single()!["data"]!["text/plain"]));
    }
}
