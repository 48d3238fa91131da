using System.Text.Json;
using System.Text.Json.Nodes;
using XRay.Bench;
using XRay.Bench.Cases;

// XRay.Bench run [--smoke] [--out DIR] [--python PATH]   every case, ours and PyTorch-/OpenCV-Python's; table + results.json
// XRay.Bench case NAME --key value ...                   one case in this process (the runner starts these), JSON on stdout
// XRay.Bench info                                        xray info's facts as JSON (bench/gpu/run.sh, where the CLI isn't carried)
try
{
    if (args.Length >= 2 && args[0] == "case")
    {
        var a = new CaseArgs(args[2..]);
        JsonObject Run() => args[1] switch
        {
            "decode" => DecodeCase.Run(a),
            "train" => ModelCases.Train(a),
            "infer" => ModelCases.Infer(a),
            "epochs" => EpochsCase.Run(a),
            "accuracy" => AccuracyCase.Run(a),
            "fit" => FitCase.Run(a),
            "sgemm" => SgemmCase.Run(a),
            "serve" => ServeCase.Run(a),
            var other => throw new ArgumentException($"Unknown case '{other}'."),
        };
        // --on worker: the whole case, XRay's first use included, on a new thread, as a notebook kernel runs a cell.
        var on = a.Text("on", "main");
        var result = on switch
        {
            "main" => Run(),
            "worker" => OnWorkerThread(Run),
            _ => throw new ArgumentException($"--on takes main or worker, got '{on}'."),
        };
        result["on"] = on;
        result["large_blocks_off_the_main_thread"] = LargeBlocksOffTheMainThread();
        result["glibc_keeps_freed_memory"] = GlibcKeepsFreedMemory();
        result["tensor_pool"] = TensorPool();
        Console.WriteLine(result.ToJsonString());
        return 0;
    }
    if (args.Length >= 1 && args[0] == "info")
    {
        // `xray info`'s facts (TorchSharp, libtorch, OpenCV, device, CUDA, threads) where only the bench is carried (bench/gpu).
        Console.WriteLine(Facts().ToJsonString());
        return 0;
    }
    if (args.Length >= 1 && args[0] == "run")
    {
        var settings = args.Contains("--smoke") ? BenchSettings.Smoke : BenchSettings.Full;
        var output = Option("--out") ?? Path.Combine("artifacts", "bench");
        Directory.CreateDirectory(output);
        var result = new Runner(settings, output, Option("--python") ?? Runner.DefaultPython, Console.Out).Run();
        var path = Path.Combine(output, "results.json");
        File.WriteAllText(path, result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        Console.WriteLine();
        Console.Write(Report.Table(result));
        Console.WriteLine($"raw numbers: {path}");
        return 0;
    }
    Console.Error.WriteLine("usage: XRay.Bench run [--smoke] [--out DIR] [--python PATH] | case NAME --key value ... | info");
    return 2;
}
catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

// XRay.dll is used only from methods kept out of the top-level code: compiling that code must not run XRay's module
// initializer on the main thread before `--on worker` gets to use XRay first on its own thread.
[System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
static string LargeBlocksOffTheMainThread() => XRay.Runtime.TorchRuntime.Describe()["blocks over 64 MB off the main thread"];

[System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
static string GlibcKeepsFreedMemory() => XRay.Runtime.TorchRuntime.Describe()["glibc keeps freed memory"];

/// What the tensor memory pool held and did over the case (bench/README.md, "Peak memory: the tensor memory pool").
[System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
static JsonObject TensorPool()
{
    var s = XRay.Runtime.TensorMemoryPool.Statistics();
    const double MiB = 1 << 20;
    return new JsonObject
    {
        ["enabled"] = s.Enabled, ["peak_live_mib"] = s.PeakLiveBytes / MiB, ["resident_mib"] = s.ResidentBytes / MiB,
        ["allocations"] = s.Allocations, ["reuses"] = s.Reuses, ["moves"] = s.Moves, ["moved_mib"] = s.MovedBytes / MiB,
        ["fallbacks"] = s.Fallbacks,
        ["address_space"] = $"{XRay.Runtime.TensorMemoryPool.AddressSpace.Start:x}-{XRay.Runtime.TensorMemoryPool.AddressSpace.Start + (nint)XRay.Runtime.TensorMemoryPool.AddressSpace.Length:x}",
    };
}

[System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
static JsonObject Facts() =>
    new(XRay.Runtime.TorchRuntime.Describe().Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));

static JsonObject OnWorkerThread(Func<JsonObject> run)
{
    JsonObject? result = null;
    System.Runtime.ExceptionServices.ExceptionDispatchInfo? error = null;
    var thread = new Thread(() =>
    {
        try { result = run(); }
        catch (Exception e) { error = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e); }
    }, maxStackSize: 16 << 20);
    thread.Start();
    thread.Join();
    error?.Throw();
    return result!;
}

string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
