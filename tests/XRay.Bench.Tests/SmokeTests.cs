using System.Text.Json.Nodes;

namespace XRay.Bench.Tests;

/// <summary>
/// Every bench case, ours and the Python reference's, at tiny sizes: keeps `./build.sh bench` working without
/// running it. Needs Debian's python3-torch, python3-torchvision and python3-opencv (./build.sh test installs them).
/// </summary>
public class SmokeTests : IDisposable
{
    private readonly string output = Path.Combine(Path.GetTempPath(), "xray-bench-smoke-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        GC.SuppressFinalize(this);
    }

    [Fact]
    [Trait("Category", TestCategories.Parity)]
    [Trait("Category", TestCategories.Slow)]
    public void Every_case_runs_on_both_sides_and_gives_every_ratio()
    {
        Assert.True(File.Exists(Runner.DefaultPython), $"{Runner.DefaultPython} is missing: run ./build.sh test.");
        var s = BenchSettings.Smoke;
        var log = new StringWriter();
        var result = new Runner(s, output, Runner.DefaultPython, log).Run();

        foreach (var side in new[] { "ours", "pytorch" })
        {
            var decode = result["decode"]![side]!;
            Assert.Equal(s.DecodeImages, (int)decode["images"]!);
            foreach (var color in new[] { "gray", "rgb" }) Assert.Equal(s.DecodeRepeats, decode[color]!["intervals"]!.AsArray().Count);
            foreach (var kind in new[] { "train", "infer" })
                foreach (var channels in new[] { "1", "3" })
                {
                    var run = result[kind]![channels]![side]!;
                    Assert.Equal(s.Threads, (int)run["threads"]!);
                    foreach (var format in side == "ours" ? new[] { "default", "nchw", "channels_last" } : new[] { "nchw", "channels_last" })
                        Assert.Equal(s.Intervals, run[format]!["intervals"]!.AsArray().Count);
                }
        }
        foreach (var kind in new[] { "train", "infer" })
            foreach (var channels in new[] { "1", "3" })
            {
                var same = result[kind]![channels]![Runner.SameAllocatorKey]!;
                foreach (var format in new[] { "nchw", "channels_last" }) Assert.Equal(s.Intervals, same[format]!["intervals"]!.AsArray().Count);
            }
        var notebook = result["notebook"]!;
        Assert.Equal("main", (string)notebook["ours_main_thread"]!["on"]!);
        Assert.Equal("worker", (string)notebook["ours_kernel_shared_heap"]!["on"]!);
        Assert.Equal("kept for reuse (tensor memory pool)", (string)notebook["ours_kernel_pool"]!["large_blocks_off_the_main_thread"]!);
        Assert.Equal("kept for reuse (one shared heap)", (string)notebook["ours_kernel_shared_heap"]!["large_blocks_off_the_main_thread"]!);
        Assert.Equal("worker", (string)notebook["ours_kernel_huge_pages"]!["on"]!);
        Assert.Equal(s.NotebookSize, (int)notebook["pytorch"]!["size"]!);
        var cpu = XRay.Runtime.CpuFlags.Current;
        // Where the CPU has bf16 instructions, the epochs case runs again under bf16 on both sides (fp32 first: like for like).
        var epochRuns = cpu.HasBf16
            ? new[] { "ours_cached", "ours_uncached", "pytorch", "ours_cached_bf16", "pytorch_bf16" }
            : new[] { "ours_cached", "ours_uncached", "pytorch" };
        foreach (var run in epochRuns)
        {
            var epochs = result["epochs"]![run]!;
            Assert.Equal(run.EndsWith("_bf16", StringComparison.Ordinal) ? "bf16" : "fp32", (string)epochs["precision"]!);
            Assert.Equal(s.EpochImagesPerClass * 2, (int)epochs["images"]!);
            Assert.Equal(s.Epochs, epochs["epoch_seconds"]!.AsArray().Count);
            // The sampler saw the process (and for PyTorch its DataLoader workers) while it ran.
            Assert.True((double)epochs["peak_rss_mb"]! > 20, $"{run}: peak RSS {epochs["peak_rss_mb"]} MB");
            if (run.StartsWith("ours", StringComparison.Ordinal))
            {
                // The pool was in use and held no more than its tensors' live peak (the smoke's 32 px tensors are mostly
                // under its 1 MiB threshold; TensorMemoryPoolTests checks it at real sizes).
                var pool = epochs["tensor_pool"]!;
                Assert.True((bool)pool["enabled"]!, run);
                Assert.True((double)pool["resident_mib"]! <= (double)pool["peak_live_mib"]!, pool.ToJsonString());
            }
        }
        Assert.True((double)result["sgemm"]!["gflops"]! > 0);
        AssertServe(result["serve"]!.AsObject(), s.ServeRequests);
        // Both precisions on both sides where the CPU has bf16 instructions; elsewhere fp32 and the reason bf16 was skipped.
        AssertAccuracy(result["accuracy"]!.AsObject(), s, cpu.HasBf16 ? new[] { "fp32", "bf16" } : new[] { "fp32" });
        Assert.Equal(cpu.Bf16Summary, (string)result["accuracy"]!["cpu_bf16_flags"]!);
        if (cpu.HasBf16) Assert.Null(result["accuracy"]!["bf16_skipped"]);
        else Assert.Contains("neither avx512_bf16 nor amx_bf16", (string)result["accuracy"]!["bf16_skipped"]!);

        // Every ratio the issue asks for is there and is a real number.
        var rows = result["ratios"]!.AsArray().Select(r => r!.AsObject()).ToList();
        // decode 2, train 2, infer 2, same allocator 4, notebook 4, epochs 4, memory 2, step vs SGEMM 2; with bf16: epochs 1, memory 1
        Assert.Equal(cpu.HasBf16 ? 24 : 22, rows.Count);
        Assert.All(rows, r => Assert.True(double.IsFinite((double)r["ratio"]!) && (double)r["ratio"]! > 0, r.ToJsonString()));
        var table = Report.Table(result);
        foreach (var r in rows) Assert.Contains((string)r["name"]!, table);
        Assert.Contains("HTTP, concurrency 16", table);
        Assert.Contains("bf16 - fp32", table);
        Assert.Contains("1ch, pytorch", table);
    }

    /// <summary>
    /// The accuracy case where the CPU lacks bf16 instructions (flags given, not read): neither side runs bf16, the reason
    /// names the flags, and the table shows fp32 with no difference.
    /// </summary>
    [Fact]
    [Trait("Category", TestCategories.Parity)]
    public void The_accuracy_case_skips_bf16_on_both_sides_where_the_cpu_lacks_it()
    {
        var s = BenchSettings.Smoke;
        var runner = new Runner(s, output, Runner.DefaultPython, TextWriter.Null);
        var accuracy = runner.Accuracy(new XRay.Runtime.CpuFlags(new[] { "avx2", "avx512f" }));
        AssertAccuracy(accuracy, s, new[] { "fp32" });
        Assert.Equal("avx512f", (string)accuracy["cpu_bf16_flags"]!);
        var reason = (string)accuracy["bf16_skipped"]!;
        Assert.Contains("neither avx512_bf16 nor amx_bf16 (bf16-related flags: avx512f)", reason);
        var table = Report.AccuracyTable(accuracy);
        Assert.Contains($"bf16 not run: {reason}", table);
        Assert.DoesNotContain(" pts", table);
    }

    /// <summary>Each channel count, side and precision trained the asked epochs on the generated split, accuracies in [0, 1].</summary>
    private static void AssertAccuracy(JsonObject accuracy, BenchSettings s, string[] precisions)
    {
        foreach (var channels in s.AccuracyChannels)
            foreach (var side in new[] { "ours", "pytorch" })
            {
                var runs = accuracy[channels.ToString(System.Globalization.CultureInfo.InvariantCulture)]![side]!.AsObject();
                Assert.Equal(precisions, runs.Select(kv => kv.Key));
                foreach (var precision in precisions)
                {
                    var run = runs[precision]!;
                    var where = $"{channels}ch {side} {precision}: {run.ToJsonString()}";
                    Assert.Equal(precision, (string)run["precision"]!);
                    Assert.Equal(channels, (int)run["channels"]!);
                    Assert.Equal(s.AccuracyImagesPerClass * 2, (int)run["train_images"]!);
                    Assert.Equal(s.AccuracyValPerClass * 2, (int)run["val_images"]!);
                    var epochs = run["epochs"]!.AsArray();
                    Assert.Equal(Enumerable.Range(1, s.AccuracyEpochs), epochs.Select(e => (int)e!["epoch"]!));
                    Assert.All(epochs, e => Assert.InRange((double)e!["val_accuracy"]!, 0.0, 1.0));
                    Assert.InRange((double)run["val_accuracy"]!, 0.0, 1.0);
                    Assert.Equal((double)epochs[^1]!["val_accuracy"]!, (double)run["val_accuracy"]!);
                    Assert.True(double.IsFinite((double)run["val_loss"]!) && (double)run["val_loss"]! > 0, where);
                    Assert.True((double)run["train_seconds"]! > 0, where);
                }
            }
    }

    /// <summary>The serve case alone: the web app on 127.0.0.1 under 1, 4 and 16 loopback clients, and in-process beside it.</summary>
    [Fact]
    public void The_serve_case_answers_every_request_at_each_concurrency()
    {
        var runner = new Runner(BenchSettings.Smoke, output, Runner.DefaultPython, TextWriter.Null);
        var images = Path.Combine(output, "serve-images");
        XRay.Synthetic.SyntheticChestXray.Generate(images, new XRay.Synthetic.SyntheticOptions { Classes = 2, PerClass = 3, TestPerClass = 0, Size = 48, Seed = 1 });
        var result = runner.Ours("serve", new[] { "--threads", "2", "--dir", images, "--size", "32", "--requests", "10",
            "--seconds", "30", "--replicas", "2" });
        AssertServe(result, 10);
        Assert.Contains("HTTP, concurrency 4", Report.ServeTable(result));
    }

    private static void AssertServe(System.Text.Json.Nodes.JsonObject serve, int requests)
    {
        var runs = serve["http"]!.AsObject().Select(kv => kv.Value!).Append(serve["in_process"]!).ToList();
        Assert.Equal(new[] { "1", "4", "16" }, serve["http"]!.AsObject().Select(kv => kv.Key));
        foreach (var run in runs)
        {
            Assert.Equal(requests, (int)run["requests"]!); // every request answered 200 (a failure ends the case)
            Assert.True((double)run["requests_per_s"]! > 0 && (double)run["p50_ms"]! > 0, run.ToJsonString());
            Assert.True((double)run["p95_ms"]! >= (double)run["p50_ms"]!, run.ToJsonString());
        }
    }

    /// <summary>
    /// Our loader keeps freed memory for reuse (XRay.Runtime.GlibcAllocator): a fresh bench process reports the setting in
    /// force. What it saves (page faults, img/s) is a performance fact, measured by ./build.sh bench: bench/README.md,
    /// "Three fixes the benchmark found", 1. A count here would depend on how busy the machine is.
    /// </summary>
    [Fact]
    public void Our_training_steps_reuse_freed_activations()
    {
        var runner = new Runner(BenchSettings.Smoke, output, Runner.DefaultPython, TextWriter.Null);
        var result = runner.Ours("train", new[] { "--threads", "2", "--channels", "1", "--size", "32", "--batch", "4",
            "--warmup", "1", "--intervals", "1", "--steps", "1", "--formats", "default" });
        Assert.Equal("yes", (string)result["glibc_keeps_freed_memory"]!);
    }

    /// <summary>The precision rows: both sides train under bf16 autocast when asked, and a wrong value is refused on both.</summary>
    [Fact]
    [Trait("Category", TestCategories.Parity)]
    public void Both_sides_train_the_precision_case_in_bf16()
    {
        if (!XRay.Runtime.CpuFlags.Current.HasBf16) return; // ours refuses bf16 there (MixedPrecisionTests covers it)
        var runner = new Runner(BenchSettings.Smoke, output, Runner.DefaultPython, TextWriter.Null);
        var args = new[] { "--threads", "2", "--channels", "1", "--size", "32", "--batch", "4",
            "--warmup", "1", "--intervals", "2", "--steps", "1", "--formats", "channels_last", "--precision", "bf16" };
        Assert.True((double)runner.Ours("train", args)["channels_last"]!["images_per_s"]! > 0);
        var theirs = runner.Theirs("train", args);
        Assert.Equal("bf16", (string)theirs["precision"]!);
        Assert.True((double)theirs["channels_last"]!["images_per_s"]! > 0);
    }

    /// <summary>
    /// The like-for-like rows give PyTorch-Python our allocator settings through the environment, which glibc reads at
    /// start: the reference process sees exactly <see cref="XRay.Runtime.GlibcAllocator.EnvironmentVariables"/>, and
    /// without them none. (What they save is in bench/README.md, "Three fixes the benchmark found", 1.)
    /// </summary>
    [Fact]
    [Trait("Category", TestCategories.Parity)]
    public void The_reference_with_our_allocator_settings_reuses_freed_activations()
    {
        var runner = new Runner(BenchSettings.Smoke, output, Runner.DefaultPython, TextWriter.Null);
        var args = new[] { "--threads", "2", "--channels", "1", "--size", "32", "--batch", "4",
            "--warmup", "1", "--intervals", "1", "--steps", "1", "--formats", "channels_last" };
        Dictionary<string, string> Seen(Action<IDictionary<string, string?>>? environment) =>
            runner.Theirs("train", args, environment: environment)["malloc_environment"]!.AsObject()
                .ToDictionary(kv => kv.Key, kv => (string)kv.Value!);
        Assert.Empty(Seen(null));
        Assert.Equal(XRay.Runtime.GlibcAllocator.EnvironmentVariables.OrderBy(kv => kv.Key), Seen(Runner.OurAllocatorSettings).OrderBy(kv => kv.Key));
    }

    /// <summary>
    /// A notebook kernel runs cells on threads other than the main one, where glibc maps blocks over 64 MB afresh
    /// whatever mallopt says. The tensor memory pool serves large tensors on any thread; with it turned off, XRay first
    /// used on such a thread asks libtorch for huge pages (on a kernel that has them), and a process started with the
    /// shared-arena tunable keeps the blocks instead. This checks which mechanism is in force in a fresh process on a
    /// worker thread, not what it saves: that depends on the machine's load, and is measured by ./build.sh bench
    /// (bench/README.md, "Training off the main thread").
    /// </summary>
    [Fact]
    public void Training_off_the_main_thread_gets_the_pool_or_huge_pages_or_a_shared_heap()
    {
        var runner = new Runner(BenchSettings.Smoke, output, Runner.DefaultPython, TextWriter.Null);
        const string thpMode = "/sys/kernel/mm/transparent_hugepage/enabled"; // absent: a kernel without THP
        var thp = File.Exists(thpMode) ? File.ReadAllText(thpMode) : "[never]";
        Assert.Equal("kept for reuse (tensor memory pool)", Reported(runner, "worker", null));
        Assert.Equal(thp.Contains("[never]", StringComparison.Ordinal) ? "mapped afresh" : "mapped afresh, on huge pages",
            Reported(runner, "worker", Runner.WithoutPool));
        Assert.Equal("kept for reuse (one shared heap)", Reported(runner, "worker", e =>
        {
            Runner.WithoutPool(e);
            XRay.Runtime.GlibcAllocator.ShareOneArena(e);
        }));
    }

    /// <summary>What a tiny training case, XRay's first use included, reports for blocks over 64 MB on the given thread.</summary>
    private static string Reported(Runner runner, string on, Action<IDictionary<string, string?>>? environment)
    {
        var result = runner.Ours("train", new[] { "--threads", "2", "--channels", "1", "--size", "32", "--batch", "4",
            "--warmup", "1", "--intervals", "1", "--steps", "1", "--formats", "channels_last", "--on", on }, environment: environment);
        Assert.Equal(on, (string)result["on"]!);
        return (string)result["large_blocks_off_the_main_thread"]!;
    }

    /// <summary>
    /// The GPU check's training run (bench/gpu/run.sh), here on the CPU: Trainer.Fit with validation and a checkpoint,
    /// the checkpoint evaluated on the CPU (on the CPU, exactly the trained model's loss), and one epoch resumed from it.
    /// </summary>
    [Fact]
    public void The_fit_case_trains_evaluates_its_checkpoint_and_resumes()
    {
        var runner = new Runner(BenchSettings.Smoke, output, Runner.DefaultPython, TextWriter.Null);
        var result = runner.Ours("fit", new[] { "--device", "cpu", "--threads", "2", "--size", "48", "--channels", "3",
            "--batch", "16", "--per-class", "24", "--val-per-class", "8", "--epochs", "2", "--out", Path.Combine(output, "fit") });
        Assert.Equal("cpu", (string)result["device"]!);
        Assert.Equal(48, (int)result["train_images"]!);
        Assert.Equal(16, (int)result["val_images"]!);
        var epochs = result["epochs"]!.AsArray();
        Assert.Equal(new[] { 1, 2 }, epochs.Select(e => (int)e!["epoch"]!));
        Assert.All(epochs, e => Assert.True(double.IsFinite((double)e!["val_loss"]!) && (double)e["images_per_s"]! > 0));
        // The last epoch's validation is the trained model's, and the checkpoint read back gives it again.
        Assert.Equal((double)epochs[^1]!["val_loss"]!, (double)result["val_on_device"]!["loss"]!, 1e-6);
        Assert.Equal(0, (double)result["val_loss_difference_device_vs_cpu"]!, 1e-6);
        Assert.Equal(3, (int)result["resumed_epoch"]!["epoch"]!);
        Assert.True(File.Exists(Path.Combine(output, "fit", "checkpoint.pt")));
    }

    /// <summary>The same run for a transfer model with its features frozen (seed 001): only the head trains.</summary>
    [Fact]
    public void The_fit_case_trains_only_the_head_of_a_frozen_transfer_model()
    {
        var runner = new Runner(BenchSettings.Smoke, output, Runner.DefaultPython, TextWriter.Null);
        var result = runner.Ours("fit", new[] { "--device", "cpu", "--threads", "2", "--size", "32", "--channels", "3",
            "--batch", "8", "--per-class", "8", "--val-per-class", "4", "--epochs", "1", "--arch", "mobilenet-v2",
            "--freeze", "true", "--out", Path.Combine(output, "fit-transfer") });
        using var model = (XRay.Models.TransferModel)XRay.Models.ModelFactory.Create("mobilenet-v2", 3, 32, 32, 2);
        var all = model.parameters().Sum(p => p.numel());
        model.FreezeFeatures();
        var head = model.parameters().Where(p => p.requires_grad).Sum(p => p.numel());
        Assert.True(head < all / 2, $"head {head} of {all}");
        Assert.Equal(head, (long)result["trainable_parameters"]!);
        Assert.True((bool)result["frozen_features"]!);
        Assert.Equal(0, (double)result["val_loss_difference_device_vs_cpu"]!, 1e-6);
        Assert.Equal(2, (int)result["resumed_epoch"]!["epoch"]!);
    }

    /// <summary>A GPU that libtorch can't see stops the case with a message, rather than timing the CPU as if it were the GPU.</summary>
    [Fact]
    public void A_cuda_case_where_libtorch_sees_no_gpu_says_so()
    {
        if (XRay.Runtime.Devices.Default.type == TorchSharp.DeviceType.CUDA) return; // for machines without one, as CI
        var runner = new Runner(BenchSettings.Smoke, output, Runner.DefaultPython, TextWriter.Null);
        var e = Assert.Throws<InvalidOperationException>(() => runner.Ours("train", new[] { "--device", "cuda", "--threads", "2",
            "--channels", "1", "--size", "32", "--batch", "4", "--warmup", "1", "--intervals", "1", "--steps", "1", "--formats", "default" }));
        Assert.Contains("--device cuda: libtorch sees no CUDA device here", e.Message, StringComparison.Ordinal);
    }

    /// <summary>The op-level profile bench/README.md quotes: the step's libtorch ops, the convolutions among them.</summary>
    [Fact]
    [Trait("Category", TestCategories.Parity)]
    public void The_reference_profile_lists_the_step_s_ops()
    {
        var runner = new Runner(BenchSettings.Smoke, output, Runner.DefaultPython, TextWriter.Null);
        var result = runner.Theirs("profile", new[] { "--threads", "2", "--channels", "3", "--size", "32", "--batch", "4",
            "--warmup", "1", "--steps", "2", "--formats", "channels_last" });
        var ops = result["ops"]!.AsArray().Select(o => o!.AsObject()).ToList();
        Assert.Contains(ops, o => ((string)o["op"]!).Contains("convolution", StringComparison.Ordinal));
        // PyTorch 1.13's profiler can time a backward op's self time below zero; the case zeroes those (and counts
        // them), so every share lies in [0, 1] and the top ops' shares sum to at most 1.
        Assert.All(ops, o => Assert.InRange((double)o["share"]!, 0.0, 1.0));
        Assert.True((int)result["negative_self_times_zeroed"]! >= 0);
        var shares = ops.Sum(o => (double)o["share"]!);
        Assert.InRange(shares, 0.1, 1.0 + 1e-9);
    }

    [Fact]
    public void Memory_of_a_process_tree_includes_its_children()
    {
        using var parent = System.Diagnostics.Process.Start("/bin/sh", new[] { "-c", "sleep 5 & sleep 5 & wait" });
        try
        {
            Thread.Sleep(300);
            var tree = ProcessTreeMemory.Measure(parent.Id);
            var alone = ProcessTreeMemory.Field($"/proc/{parent.Id}/status", "VmRSS:");
            Assert.True(alone > 0);
            Assert.True(tree.RssKb > alone, $"tree {tree.RssKb} kB should exceed the shell's own {alone} kB");
            Assert.True(tree.PssKb > 0);
        }
        finally
        {
            parent.Kill(entireProcessTree: true);
        }
    }
}
