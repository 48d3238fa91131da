using XRay.Notebooks.Execution;

namespace XRay.Notebooks.Tests;

public class NotebookKernelTests
{
    private static NotebookKernel Kernel(TimeSpan? timeout = null, string? folder = null) =>
        new(new KernelOptions
        {
            Timeout = timeout ?? TimeSpan.FromMinutes(1),
            CancellationGrace = TimeSpan.FromSeconds(5),
            WorkingDirectory = folder ?? Environment.CurrentDirectory,
        });

    [Fact]
    public async Task State_carries_across_submissions_and_a_trailing_expression_is_shown()
    {
        using var kernel = Kernel();
        var first = await kernel.SubmitAsync("var x = 20;\nint Twice(int v) => 2 * v;");
        Assert.True(first.Succeeded);
        Assert.Empty(first.Outputs); // ends with a semicolon: nothing shown
        var second = await kernel.SubmitAsync("Twice(x) + 2");
        var result = Assert.IsType<ExecuteResultOutput>(Assert.Single(second.Outputs));
        Assert.Equal("42", result.Data["text/plain"]);
    }

    [Fact]
    public async Task Console_output_is_captured_as_a_stream()
    {
        using var kernel = Kernel();
        var r = await kernel.SubmitAsync("Console.WriteLine(\"hello\");\nConsole.Write(\"world\");");
        var stream = Assert.IsType<StreamOutput>(Assert.Single(r.Outputs));
        Assert.Equal("stdout", stream.Name);
        Assert.Equal("hello\nworld", stream.Text.Replace("\r\n", "\n"));
    }

    [Fact]
    public async Task Display_returns_a_handle_whose_Update_replaces_the_output()
    {
        using var kernel = Kernel();
        var r = await kernel.SubmitAsync(
            "record Row(string Name, int Count);\nvar h = display(\"epoch 1\");\nh.Update(\"epoch 2\");\n" +
            "display(new[] { new Row(\"NORMAL\", 3), new Row(\"COVID19\", 1) });");
        Assert.True(r.Succeeded, r.Error?.Message);
        Assert.Equal(2, r.Outputs.Count);
        var progress = Assert.IsType<DisplayDataOutput>(r.Outputs[0]);
        Assert.Equal("epoch 2", progress.Data["text/plain"]);
        var table = Assert.IsType<DisplayDataOutput>(r.Outputs[1]);
        Assert.Contains("text/html", table.Data.Keys); // formatted as VS Code shows it
        Assert.Contains("<table", table.Data["text/html"]); // a list of records is a table, as in VS Code
        Assert.Contains("COVID19", table.Data["text/html"]);
    }

    [Fact]
    public async Task A_compilation_error_names_its_line_and_the_session_goes_on()
    {
        using var kernel = Kernel();
        await kernel.SubmitAsync("var ok = 1;");
        var r = await kernel.SubmitAsync("var a = 1;\nvar b = undefinedThing + 1;");
        Assert.False(r.Succeeded);
        Assert.Equal("CompilationError", r.Error!.Name);
        Assert.Equal(2, r.Error.Line);
        Assert.Contains("undefinedThing", r.Error.Message);
        var after = await kernel.SubmitAsync("ok + 1");
        Assert.Equal("2", ((ExecuteResultOutput)after.Outputs[0]).Data["text/plain"]);
    }

    [Fact]
    public async Task A_thrown_exception_is_reported_with_its_cell_line()
    {
        using var kernel = Kernel();
        var r = await kernel.SubmitAsync("var x = 1;\n\nthrow new InvalidOperationException(\"bad data\");");
        Assert.False(r.Succeeded);
        Assert.Equal("InvalidOperationException", r.Error!.Name);
        Assert.Equal("bad data", r.Error.Message);
        Assert.Equal(3, r.Error.Line);
    }

    [Fact]
    public async Task Magics_csharp_and_markdown_work_and_others_are_refused()
    {
        using var kernel = Kernel();
        var cs = await kernel.SubmitAsync("#!csharp\n1 + 1");
        Assert.Equal("2", ((ExecuteResultOutput)cs.Outputs[0]).Data["text/plain"]);
        var md = await kernel.SubmitAsync("#!markdown\n# Title");
        Assert.True(md.Succeeded);
        Assert.Empty(md.Outputs);
        var fs = await kernel.SubmitAsync("#!fsharp\nlet x = 1");
        Assert.False(fs.Succeeded);
        Assert.Contains("#!fsharp is not supported", fs.Error!.Message);
        var nuget = await kernel.SubmitAsync("#r \"nuget: Newtonsoft.Json, 13.0.1\"");
        Assert.Contains("can't be restored here", nuget.Error!.Message);
    }

    [Fact]
    public async Task A_cell_past_its_timeout_is_stopped_and_reported()
    {
        // Generous enough that compiling the next cell fits on a loaded 2-core machine.
        using var kernel = Kernel(TimeSpan.FromSeconds(3));
        var started = DateTime.UtcNow;
        var r = await kernel.SubmitAsync("long n = 0;\nwhile (true) { n++; }");
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(12));
        Assert.Equal("TimeoutException", r.Error!.Name);
        Assert.Contains("was stopped", r.Error.Message);
        var next = await kernel.SubmitAsync("1 + 1"); // the kernel is still usable
        Assert.True(next.Succeeded);
    }

    [Fact]
    public async Task Loops_without_braces_also_get_the_cancellation_check()
    {
        using var kernel = Kernel(TimeSpan.FromSeconds(2));
        var r = await kernel.SubmitAsync("var i = 0L;\nfor (;;) i++;");
        Assert.Contains("was stopped", r.Error!.Message);
        using var other = Kernel();
        var ok = await other.SubmitAsync("var s = 0;\nforeach (var v in new[] { 1, 2, 3 })\n    s += v;\ns");
        Assert.Equal("6", ((ExecuteResultOutput)ok.Outputs[0]).Data["text/plain"]);
    }

    [Fact]
    public async Task Code_runs_in_the_notebook_folder_and_references_resolve_from_there()
    {
        var folder = Path.Combine(Path.GetTempPath(), "xray-kernel-" + Guid.NewGuid().ToString("N"));
        var libs = Path.Combine(folder, "libs");
        Directory.CreateDirectory(libs);
        // The library, as a notebook references it: a relative #r to the built dll.
        var bin = Path.GetDirectoryName(typeof(NotebookKernelTests).Assembly.Location)!;
        File.Copy(Path.Combine(bin, "XRay.dll"), Path.Combine(libs, "XRay.dll"));
        File.WriteAllText(Path.Combine(folder, "note.txt"), "read me");
        using var kernel = Kernel(folder: folder);
        var r = await kernel.SubmitAsync(
            "#r \"libs/XRay.dll\"\nusing static TorchSharp.torch;\nvar text = File.ReadAllText(\"note.txt\");\n" +
            "XRay.Runtime.TorchRuntime.EnsureLoaded();\nvar total = ones(2, 3).sum().item<float>();\n$\"{text} {total}\"");
        Assert.True(r.Succeeded, r.Error?.Message + "\n" + string.Join("\n", r.Error?.Traceback ?? Array.Empty<string>()));
        Assert.Equal("read me 6", ((ExecuteResultOutput)r.Outputs[0]).Data["text/plain"]);
    }
}
