using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace XRay.Bench;

/// <summary>The ratios the issue's targets are stated in, and the table printed from them.</summary>
public static class Report
{
    /// <summary>One line of the table. Ratio is ours over theirs, oriented so that higher is better, except for memory.</summary>
    public sealed record Row(string Name, string Unit, double Ours, double Theirs, double Ratio, string Target, bool? Met, string Note);

    /// <summary>PyTorch-Python's faster memory format in a train/infer result ("nchw" or "channels_last").</summary>
    public static string BestFormat(JsonObject theirs) =>
        new[] { "nchw", "channels_last" }.Where(theirs.ContainsKey).MaxBy(f => Rate(theirs[f]!))
        ?? throw new ArgumentException("The reference result has neither nchw nor channels_last.");

    public static JsonArray Ratios(JsonObject result) => new(Rows(result).Select(r => (JsonNode)new JsonObject
    {
        ["name"] = r.Name, ["unit"] = r.Unit, ["ours"] = r.Ours, ["theirs"] = r.Theirs, ["ratio"] = r.Ratio,
        ["target"] = r.Target, ["met"] = r.Met, ["note"] = r.Note,
    }).ToArray());

    public static IEnumerable<Row> Rows(JsonObject result)
    {
        var settings = result["settings"]!;
        var size = (int)settings["model_size"]!;
        var decode = result["decode"]!;
        foreach (var color in new[] { "gray", "rgb" })
        {
            var ours = Rate(decode["ours"]![color]!);
            var theirs = Rate(decode["pytorch"]![color]!);
            yield return Higher($"decode+resize {color} {settings["decode_size"]}px", "img/s", ours, theirs, 1.0, "vs OpenCV-Python");
        }
        foreach (var (kind, target) in new[] { ("train", 1.0), ("infer", 1.0) })
            foreach (var channels in new[] { "1", "3" })
            {
                var pair = result[kind]![channels]!;
                var best = BestFormat(pair["pytorch"]!.AsObject());
                yield return Higher($"{kind} {channels}ch {size}px b{settings["batch"]}", "img/s", Rate(pair["ours"]!["default"]!),
                    Rate(pair["pytorch"]![best]!), target, $"theirs: {best}");
            }
        // Like for like: the reference with our allocator settings, so the ratio is the engines' alone (no target).
        foreach (var kind in new[] { "train", "infer" })
            foreach (var channels in new[] { "1", "3" })
                if (result[kind]![channels]![Runner.SameAllocatorKey] is JsonObject same)
                {
                    var best = BestFormat(same);
                    yield return Higher($"{kind} {channels}ch, same allocator", "img/s", Rate(result[kind]![channels]!["ours"]!["default"]!),
                        Rate(same[best]!), null, $"theirs: {best}, with our mallopt settings");
                }

        if (result["notebook"] is JsonObject notebook)
        {
            var theirs = notebook["pytorch"]!.AsObject();
            var best = BestFormat(theirs);
            // Names fit the table's 30-character column: "notebook 224px, kernel, 1 heap".
            foreach (var (key, where) in new[] { ("ours_main_thread", "main thread"), ("ours_kernel_pool", "kernel, pool"), ("ours_kernel_shared_heap", "kernel, 1 heap"),
                         ("ours_kernel_huge_pages", "kernel, THP") })
            {
                var ours = notebook[key]!.AsObject();
                var how = (string)ours["on"]! == "worker" ? $"; ours off the main thread: {ours["large_blocks_off_the_main_thread"]}" : "";
                yield return Higher($"notebook {settings["notebook_size"]}px, {where}", "img/s", Rate(ours["default"]!),
                    Rate(theirs[best]!), null, $"train 1ch; theirs: {best}, main thread{how}");
            }
        }

        var epochs = result["epochs"]!;
        var theirEpochs = Seconds(epochs["pytorch"]!);
        foreach (var mode in new[] { "cached", "uncached" })
        {
            var ours = Seconds(epochs[$"ours_{mode}"]!);
            yield return Higher($"epoch 1, {mode}", "s", ours[0], theirEpochs[0], null, "ratio = their s / our s");
            if (ours.Length > 1 && theirEpochs.Length > 1)
                yield return Higher($"epochs 2+, {mode}", "s/epoch", Mean(ours[1..]), Mean(theirEpochs[1..]), mode == "cached" ? 1.5 : null,
                    "ratio = their s / our s", inverse: true);
        }
        // fp32 against fp32, and where the CPU has bf16, bf16 (ours cached) against PyTorch's bf16 autocast.
        var memoryRows = new List<(string Name, string Ours, string Theirs)> { ("cached", "ours_cached", "pytorch"), ("uncached", "ours_uncached", "pytorch") };
        if (epochs["ours_cached_bf16"] is not null && epochs["pytorch_bf16"] is not null)
        {
            var ours = Seconds(epochs["ours_cached_bf16"]!);
            var theirs = Seconds(epochs["pytorch_bf16"]!);
            if (ours.Length > 1 && theirs.Length > 1)
                yield return Higher("epochs 2+, cached, bf16", "s/epoch", Mean(ours[1..]), Mean(theirs[1..]), 1.0,
                    "ratio = their s / our s; both under bf16 autocast", inverse: true);
            memoryRows.Add(("cached, bf16", "ours_cached_bf16", "pytorch_bf16"));
        }
        foreach (var (name, oursKey, theirsKey) in memoryRows)
        {
            var ours = (double)epochs[oursKey]!["peak_rss_mb"]!;
            var theirs = (double)epochs[theirsKey]!["peak_rss_mb"]!;
            var ratio = ours / theirs;
            yield return new Row($"peak RSS, epochs, {name}", "MB", ours, theirs, ratio, "<= 0.60 (lower is better)", ratio <= 0.6,
                $"PSS {(double)epochs[oursKey]!["peak_pss_mb"]!:F0} vs {(double)epochs[theirsKey]!["peak_pss_mb"]!:F0} MB");
        }

        var sgemm = (double)result["sgemm"]!["gflops"]!;
        foreach (var channels in new[] { 1, 3 })
        {
            var pair = result["train"]![channels.ToString(CultureInfo.InvariantCulture)]!;
            var perImage = Flops.BlogCnnTrainStep(channels, size) / 1e9;
            var ours = Rate(pair["ours"]!["default"]!) * perImage;
            var theirs = Rate(pair["pytorch"]![BestFormat(pair["pytorch"]!.AsObject())]!) * perImage;
            yield return new Row($"train {channels}ch / SGEMM", "GFLOP/s", ours, sgemm, ours / sgemm, ">= 0.30", ours / sgemm >= 0.30,
                $"PyTorch: {theirs:F1} GFLOP/s = {theirs / sgemm:P0}; {perImage:F3} GFLOP/img");
        }
    }

    /// <summary>Ratio ours/theirs for rates; for times (<paramref name="inverse"/>, or a unit of seconds) theirs/ours.</summary>
    private static Row Higher(string name, string unit, double ours, double theirs, double? target, string note, bool inverse = false)
    {
        var ratio = inverse || unit == "s" ? theirs / ours : ours / theirs;
        return new Row(name, unit, ours, theirs, ratio, target is { } t ? $">= {t:F2}" : "", target is { } m ? ratio >= m : null, note);
    }

    public static string Table(JsonObject result)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{"case",-30} {"unit",-8} {"ours",10} {"theirs",10} {"ratio",7}  {"target",-26} {"met",-4} note");
        foreach (var r in Rows(result))
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{r.Name,-30} {r.Unit,-8} {r.Ours,10:F2} {r.Theirs,10:F2} {r.Ratio,7:F2}  {r.Target,-26} {(r.Met is null ? "" : r.Met.Value ? "yes" : "NO"),-4} {r.Note}");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"SGEMM {result["sgemm"]!["n"]}^2: {(double)result["sgemm"]!["gflops"]!:F1} GFLOP/s; load average {result["load_average_start"]} -> {result["load_average_end"]}");
        if (result["accuracy"] is JsonObject accuracy) text.Append(AccuracyTable(accuracy));
        if (result["serve"] is JsonObject serve) text.Append(ServeTable(serve));
        return text.ToString();
    }

    /// <summary>
    /// The accuracy case: each side's validation accuracy after the short run in fp32 and bf16, and bf16's difference
    /// in percentage points. Each side's two runs start from the same weights (its own seed), so the difference is the
    /// precision's; each side draws its initial weights and batch order with its own libtorch and loader, so between the
    /// sides compare the differences, not the levels.
    /// </summary>
    public static string AccuracyTable(JsonObject accuracy)
    {
        var text = new StringBuilder();
        var pairs = accuracy.Where(kv => kv.Value is JsonObject o && o.ContainsKey("ours")).ToList();
        if (pairs.Count == 0) return "";
        var first = pairs[0].Value!["ours"]!["fp32"]!;
        text.AppendLine(CultureInfo.InvariantCulture,
            $"\naccuracy after {first["epochs"]!.AsArray().Count} epochs: seed 002's CNN, {first["train_images"]} train / {first["val_images"]} val images, " +
            $"{first["size"]}px, batch {first["batch"]}, Adam lr {(double)first["lr"]!:G3}, seed {first["seed"]}; CPU bf16 flags: {accuracy["cpu_bf16_flags"]}");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{"input, side",-20} {"fp32 acc",9} {"bf16 acc",9} {"bf16 - fp32",12} {"fp32 loss",10} {"bf16 loss",10} {"fp32 s",8} {"bf16 s",8}");
        foreach (var (channels, pair) in pairs)
            foreach (var side in new[] { "ours", "pytorch" })
            {
                var fp32 = pair![side]!["fp32"]!;
                var bf16 = pair[side]!["bf16"];
                string Value(JsonNode? run, string key, string format) =>
                    run is null ? "-" : ((double)run[key]!).ToString(format, CultureInfo.InvariantCulture);
                var points = bf16 is null ? "-"
                    : (100 * ((double)bf16["val_accuracy"]! - (double)fp32["val_accuracy"]!)).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + " pts";
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"{$"{channels}ch, {side}",-20} {Value(fp32, "val_accuracy", "F3"),9} {Value(bf16, "val_accuracy", "F3"),9} {points,12} " +
                    $"{Value(fp32, "val_loss", "F3"),10} {Value(bf16, "val_loss", "F3"),10} {Value(fp32, "train_seconds", "F1"),8} {Value(bf16, "train_seconds", "F1"),8}");
            }
        if (accuracy["bf16_skipped"] is JsonValue skipped) text.AppendLine(CultureInfo.InvariantCulture, $"bf16 not run: {skipped}");
        return text.ToString();
    }

    /// <summary>The serve case: requests/s and latency over HTTP at each concurrency, and the same images in-process.</summary>
    public static string ServeTable(JsonObject serve)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"\nserve: POST /api/predict on 127.0.0.1, {serve["size"]}px, {serve["replicas"]} replicas, {serve["threads"]} threads");
        text.AppendLine(CultureInfo.InvariantCulture, $"{"path",-30} {"requests",8} {"req/s",10} {"p50 ms",10} {"p95 ms",10}");
        var rows = new List<(string, JsonNode)> { ("in-process (xray predict)", serve["in_process"]!) };
        rows.AddRange(serve["http"]!.AsObject().Select(kv => ($"HTTP, concurrency {kv.Key}", kv.Value!)));
        foreach (var (name, r) in rows)
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{name,-30} {(int)r["requests"]!,8} {(double)r["requests_per_s"]!,10:F1} {(double)r["p50_ms"]!,10:F1} {(double)r["p95_ms"]!,10:F1}");
        return text.ToString();
    }

    private static double Rate(JsonNode node) => (double)node["images_per_s"]!;

    private static double[] Seconds(JsonNode node) => node["epoch_seconds"]!.AsArray().Select(n => (double)n!).ToArray();

    private static double Mean(double[] values) => values.Average();
}
