using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using XRay.Runtime;
using XRay.Synthetic;

namespace XRay.Bench;

/// <summary>
/// Runs every case, ours and the reference's, each in a fresh process (so imports, caches and peak memory never carry
/// over), on the same generated files, shapes and thread count, and gathers their JSON into one result.
/// </summary>
public sealed class Runner(BenchSettings settings, string outputDirectory, string python, TextWriter log)
{
    public const string DefaultPython = "/usr/bin/python3";

    private static string BenchDirectory => Path.GetDirectoryName(typeof(Runner).Assembly.Location)!;

    public static string ReferenceScript => Path.Combine(BenchDirectory, "python", "reference.py");

    public JsonObject Run()
    {
        var s = settings;
        var started = DateTime.UtcNow;
        var result = new JsonObject
        {
            ["machine"] = Machine(),
            ["settings"] = JsonSerializerSettings(),
            ["load_average_start"] = LoadAverage(),
        };
        var decodeDir = Generate("decode", s.DecodeImages / 2, s.DecodeSourceSize);
        var epochsDir = Generate("epochs", s.EpochImagesPerClass, s.EpochSourceSize);

        string[] Common() => new[] { "--threads", I(s.Threads) };
        string[] Model(int channels, int steps) => Common().Concat(new[] { "--channels", I(channels), "--size", I(s.ModelSize),
            "--batch", I(s.Batch), "--warmup", I(s.Warmup), "--intervals", I(s.Intervals), "--steps", I(steps) }).ToArray();

        log.WriteLine("decode + resize");
        var decodeArgs = Common().Concat(new[] { "--dir", decodeDir, "--size", I(s.DecodeSize), "--repeats", I(s.DecodeRepeats) }).ToArray();
        result["decode"] = Pair(Ours("decode", decodeArgs), Theirs("decode", decodeArgs));

        var train = new JsonObject();
        var infer = new JsonObject();
        // Each side's reported layout is measured after another one: PyTorch-Python's better layout is usually
        // channels-last, its second; ours' `default` comes last. Measured first, ours ran 5-12 % slower while .NET's
        // tiered JIT was still promoting the step's methods (inference 1ch: 1,317 img/s first, 1,510 last).
        var ourFormats = new[] { "--formats", "nchw,channels_last,default" };
        var theirFormats = new[] { "--formats", "nchw,channels_last" };
        foreach (var channels in new[] { 1, 3 })
        {
            log.WriteLine($"training, {channels} channel(s)");
            train[I(channels)] = Pair(Ours("train", Model(channels, s.TrainSteps).Concat(ourFormats)),
                Theirs("train", Model(channels, s.TrainSteps).Concat(theirFormats)));
            log.WriteLine($"inference, {channels} channel(s)");
            infer[I(channels)] = Pair(Ours("infer", Model(channels, s.InferSteps).Concat(ourFormats)),
                Theirs("infer", Model(channels, s.InferSteps).Concat(theirFormats)));
            // The like-for-like engine check: the reference again, with the allocator settings our loader applies
            // (fix 1 in bench/README.md). The targets stay against the reference as its users run it.
            log.WriteLine($"training and inference, {channels} channel(s), PyTorch-Python with our allocator settings");
            train[I(channels)]![SameAllocatorKey] = Theirs("train", Model(channels, s.TrainSteps).Concat(theirFormats), environment: OurAllocatorSettings);
            infer[I(channels)]![SameAllocatorKey] = Theirs("infer", Model(channels, s.InferSteps).Concat(theirFormats), environment: OurAllocatorSettings);
        }
        result["train"] = train;
        result["infer"] = infer;

        // Training as notebook 05 runs it: 1 channel at its 224 px, in a kernel that runs cells off the main thread
        // (GlibcAllocator's remarks). Ours four ways: on the main thread (the CLI); on a worker thread with the tensor
        // memory pool, as every kernel now runs it; and, with the pool turned off, on a worker thread in a process that
        // shares one heap (our runner's and Jupyter's kernels) and on a worker thread alone (huge pages), glibc's two
        // remedies where the pool is not available. The reference trains on its main thread, as ipykernel runs cells.
        log.WriteLine($"training at {s.NotebookSize} px: main thread, notebook kernel thread, and PyTorch-Python");
        var notebookArgs = Common().Concat(new[] { "--channels", "1", "--size", I(s.NotebookSize), "--batch", I(s.Batch),
            "--warmup", I(s.Warmup), "--intervals", I(s.Intervals), "--steps", I(s.TrainSteps) }).ToArray();
        var ourDefault = new[] { "--formats", "default" };
        var onWorker = new[] { "--formats", "default", "--on", "worker" };
        result["notebook"] = new JsonObject
        {
            ["ours_main_thread"] = Ours("train", notebookArgs.Concat(ourDefault)),
            ["ours_kernel_pool"] = Ours("train", notebookArgs.Concat(onWorker)),
            ["ours_kernel_shared_heap"] = Ours("train", notebookArgs.Concat(onWorker), environment: e =>
            {
                WithoutPool(e);
                GlibcAllocator.ShareOneArena(e);
            }),
            ["ours_kernel_huge_pages"] = Ours("train", notebookArgs.Concat(onWorker), environment: WithoutPool),
            ["pytorch"] = Theirs("train", notebookArgs.Concat(theirFormats)),
        };

        log.WriteLine("SGEMM");
        result["sgemm"] = Ours("sgemm", Common().Concat(new[] { "--n", I(s.SgemmSize) }));

        // The reference trains end to end in the memory format it trained fastest in above.
        var epochChannels = I(s.EpochChannels);
        var theirBest = Report.BestFormat(train[epochChannels]!["pytorch"]!.AsObject());
        var epochArgs = Common().Concat(new[] { "--dir", epochsDir, "--size", I(s.ModelSize), "--channels", epochChannels,
            "--batch", I(s.Batch), "--epochs", I(s.Epochs) }).ToArray();
        var epochs = new JsonObject();
        log.WriteLine("end-to-end epochs, ours cached");
        epochs["ours_cached"] = Ours("epochs", epochArgs.Concat(new[] { "--cache", "memory" }), measureMemory: true);
        log.WriteLine("end-to-end epochs, ours uncached");
        epochs["ours_uncached"] = Ours("epochs", epochArgs.Concat(new[] { "--cache", "none" }), measureMemory: true);
        log.WriteLine($"end-to-end epochs, PyTorch-Python ({theirBest})");
        epochs["pytorch"] = Theirs("epochs", epochArgs.Concat(new[] { "--workers", I(s.Threads), "--formats", theirBest }), measureMemory: true);
        if (CpuFlags.Current.HasBf16)
        {
            // Both sides again under bf16 autocast: what auto runs for this 1-channel network here, and its memory.
            var bf16 = new[] { "--precision", "bf16" };
            log.WriteLine("end-to-end epochs, ours cached, bf16");
            epochs["ours_cached_bf16"] = Ours("epochs", epochArgs.Concat(new[] { "--cache", "memory" }).Concat(bf16), measureMemory: true);
            log.WriteLine($"end-to-end epochs, PyTorch-Python ({theirBest}), bf16");
            epochs["pytorch_bf16"] = Theirs("epochs", epochArgs.Concat(new[] { "--workers", I(s.Threads), "--formats", theirBest }).Concat(bf16),
                measureMemory: true);
        }
        result["epochs"] = epochs;

        result["accuracy"] = Accuracy(CpuFlags.Current);

        log.WriteLine("serve: HTTP on 127.0.0.1 at concurrency 1, 4, 16, and in-process");
        result["serve"] = Ours("serve", Common().Concat(new[] { "--dir", epochsDir, "--size", I(s.ModelSize),
            "--requests", I(s.ServeRequests), "--seconds", I(s.ServeSeconds), "--replicas", I(s.ServeReplicas) }));

        result["load_average_end"] = LoadAverage();
        result["seconds"] = (DateTime.UtcNow - started).TotalSeconds;
        result["ratios"] = Report.Ratios(result);
        return result;
    }

    /// <summary>
    /// The accuracy case for each of <see cref="BenchSettings.AccuracyChannels"/>, fp32 and bf16, ours and the
    /// reference's autocast, on one generated train/ and val/. bf16 runs only where <paramref name="cpu"/> has bf16
    /// instructions: elsewhere ours refuses it (MixedPrecision.Resolve) and the reference's libtorch would emulate it,
    /// so neither side runs it and the reason is recorded in its place.
    /// </summary>
    internal JsonObject Accuracy(CpuFlags cpu)
    {
        var s = settings;
        var dir = Generate("accuracy", s.AccuracyImagesPerClass, s.AccuracySize, s.AccuracyValPerClass);
        var precisions = cpu.HasBf16 ? new[] { "fp32", "bf16" } : new[] { "fp32" };
        var result = new JsonObject
        {
            ["cpu_bf16_flags"] = cpu.Bf16Summary,
            ["bf16_skipped"] = cpu.HasBf16 ? null
                : $"this CPU has neither avx512_bf16 nor amx_bf16 (bf16-related flags: {cpu.Bf16Summary}): ours refuses bf16 there, and PyTorch would emulate it",
        };
        foreach (var channels in s.AccuracyChannels)
        {
            var args = new[] { "--threads", I(s.Threads), "--dir", dir, "--size", I(s.AccuracySize), "--channels", I(channels),
                "--batch", I(s.Batch), "--epochs", I(s.AccuracyEpochs), "--lr", s.AccuracyLearningRate.ToString("R", CultureInfo.InvariantCulture),
                "--seed", I(s.AccuracySeed) };
            var ours = new JsonObject();
            var theirs = new JsonObject();
            foreach (var precision in precisions)
            {
                log.WriteLine($"accuracy after {s.AccuracyEpochs} epochs, {channels} channel(s), {precision}: ours and PyTorch-Python");
                // Ours in its default layout (channels-last on the CPU); the reference channels-last too, where its
                // bf16 autocast was fastest (bench/README.md, "Mixed precision").
                ours[precision] = Ours("accuracy", args.Concat(new[] { "--precision", precision }));
                theirs[precision] = Theirs("accuracy", args.Concat(new[] { "--precision", precision, "--workers", I(s.Threads),
                    "--formats", "channels_last" }));
            }
            result[I(channels)] = Pair(ours, theirs);
        }
        return result;
    }

    /// <summary>Turns the tensor memory pool off in a process we start, leaving libtorch's tensors to glibc.</summary>
    public static void WithoutPool(IDictionary<string, string?> environment) => environment["XRAY_TENSOR_POOL"] = "0";

    /// <summary>Where a train/infer pair keeps the reference's run with <see cref="OurAllocatorSettings"/>.</summary>
    public const string SameAllocatorKey = "pytorch_same_allocator";

    /// <summary>Gives a process the allocator settings our loader applies in process (<see cref="GlibcAllocator.EnvironmentVariables"/>).</summary>
    public static void OurAllocatorSettings(IDictionary<string, string?> environment)
    {
        foreach (var (key, value) in GlibcAllocator.EnvironmentVariables) environment[key] = value;
    }

    private static JsonObject Pair(JsonObject ours, JsonObject theirs) => new() { ["ours"] = ours, ["pytorch"] = theirs };

    /// <summary>One of our cases in a fresh process; <paramref name="environment"/> may change the process's variables.</summary>
    internal JsonObject Ours(string name, IEnumerable<string> args, bool measureMemory = false,
        Action<IDictionary<string, string?>>? environment = null)
    {
        var dll = typeof(Runner).Assembly.Location;
        var apphost = Path.ChangeExtension(dll, null);
        var start = File.Exists(apphost) ? new ProcessStartInfo(apphost) : new ProcessStartInfo(DotnetHost());
        if (!File.Exists(apphost)) { start.ArgumentList.Add("exec"); start.ArgumentList.Add(dll); }
        start.ArgumentList.Add("case");
        start.ArgumentList.Add(name);
        return RunCase(start, args, measureMemory, environment);
    }

    /// <summary>One reference case in a fresh Python process; <paramref name="environment"/> may change the process's variables.</summary>
    internal JsonObject Theirs(string name, IEnumerable<string> args, bool measureMemory = false,
        Action<IDictionary<string, string?>>? environment = null)
    {
        if (!File.Exists(python))
            throw new FileNotFoundException($"{python} is missing: ./build.sh bench installs python3-torch, python3-torchvision and python3-opencv.");
        var start = new ProcessStartInfo(python);
        start.ArgumentList.Add(ReferenceScript);
        start.ArgumentList.Add(name);
        return RunCase(start, args, measureMemory, environment);
    }

    /// <summary>Runs one case process; its last stdout line is its JSON. With memory, the tree's peak is sampled.</summary>
    private JsonObject RunCase(ProcessStartInfo start, IEnumerable<string> args, bool measureMemory,
        Action<IDictionary<string, string?>>? environment)
    {
        foreach (var a in args) start.ArgumentList.Add(a);
        environment?.Invoke(start.Environment);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        // Neither side may pick its own thread count from the environment: --threads says it.
        start.Environment.Remove("OMP_NUM_THREADS");
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        using var stop = new CancellationTokenSource();
        var peak = measureMemory ? ProcessTreeMemory.PeakAsync(process.Id, settings.MemorySampleMs, stop.Token) : null;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        stop.Cancel();
        var command = $"{Path.GetFileName(start.FileName)} {string.Join(' ', start.ArgumentList)}";
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"The bench case failed ({process.ExitCode}): {command}\n{stderr.Result}");
        var last = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()
                   ?? throw new InvalidOperationException($"The bench case printed nothing: {command}\n{stderr.Result}");
        var json = JsonNode.Parse(last)!.AsObject();
        if (peak is not null)
        {
            var p = peak.GetAwaiter().GetResult();
            json["peak_rss_mb"] = p.RssKb / 1024.0;
            json["peak_pss_mb"] = p.PssKb / 1024.0;
        }
        return json;
    }

    /// <summary>
    /// A synthetic 2-class set (seed 002's NORMAL/PNEUMONIA layout), generated once per size and kept: train/ with
    /// <paramref name="perClass"/> images per class and, with <paramref name="valPerClass"/>, a val/ beside it.
    /// </summary>
    private string Generate(string name, int perClass, int size, int valPerClass = 0)
    {
        var val = valPerClass > 0 ? $"-val{valPerClass}x2" : "";
        var dir = Path.Combine(outputDirectory, "data", $"{name}-{perClass}x2{val}-{size}px");
        var done = Path.Combine(dir, ".complete");
        if (File.Exists(done)) return dir;
        log.WriteLine($"generating {(perClass + valPerClass) * 2} synthetic {size}px JPEGs in {dir}");
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        SyntheticChestXray.Generate(dir, new SyntheticOptions
        {
            Classes = 2, PerClass = perClass, TestPerClass = 0, ValPerClass = valPerClass, Size = size, Seed = 6,
        });
        File.WriteAllText(done, "");
        return dir;
    }

    private static JsonObject Machine() => new()
    {
        ["cores"] = Environment.ProcessorCount,
        ["cpu"] = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':')[1].Trim(),
        ["torchsharp"] = TorchRuntime.Describe()["TorchSharp"],
        ["torch"] = TorchRuntime.LibTorchVersion,
        ["opencv"] = XRay.Imaging.Cv.Version,
        ["date_utc"] = DateTime.UtcNow.ToString("u", CultureInfo.InvariantCulture),
    };

    private JsonNode JsonSerializerSettings() =>
        JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(settings, new System.Text.Json.JsonSerializerOptions
        {
            PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower,
        }))!;

    internal static string LoadAverage() => File.ReadAllText("/proc/loadavg").Trim();

    private static string DotnetHost() => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
