using System.Text.Json;
using System.Text.Json.Nodes;
using XRay.Bench;
using XRay.Bench.Cases;

// XRay.Bench run [--smoke] [--out DIR] [--python PATH]   every case, ours and PyTorch-/OpenCV-Python's; table + results.json
// XRay.Bench case NAME --key value ...                   one case in this process (the runner starts these), JSON on stdout
try
{
    if (args.Length >= 2 && args[0] == "case")
    {
        var a = new CaseArgs(args[2..]);
        JsonObject result = args[1] switch
        {
            "decode" => DecodeCase.Run(a),
            "train" => ModelCases.Train(a),
            "infer" => ModelCases.Infer(a),
            "epochs" => EpochsCase.Run(a),
            "sgemm" => SgemmCase.Run(a),
            "serve" => ServeCase.Run(a),
            var other => throw new ArgumentException($"Unknown case '{other}'."),
        };
        Console.WriteLine(result.ToJsonString());
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
    Console.Error.WriteLine("usage: XRay.Bench run [--smoke] [--out DIR] [--python PATH]");
    return 2;
}
catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
