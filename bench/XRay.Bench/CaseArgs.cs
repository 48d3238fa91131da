using System.Globalization;
using XRay.Training;

namespace XRay.Bench;

/// <summary>"--key value" pairs of one case's command line (the orchestrator writes them, so no help text is needed).</summary>
internal sealed class CaseArgs
{
    private readonly Dictionary<string, string> values = new(StringComparer.Ordinal);

    public CaseArgs(IReadOnlyList<string> args)
    {
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"Expected --key value, got '{args[i]}'.");
            values[args[i][2..]] = args[i + 1];
        }
    }

    public string Text(string key) => values.TryGetValue(key, out var v) ? v : throw new ArgumentException($"--{key} is required.");

    public int Int(string key) => int.Parse(Text(key), CultureInfo.InvariantCulture);

    /// <summary>The value of an optional --key, or <paramref name="fallback"/>.</summary>
    public string Text(string key, string fallback) => values.TryGetValue(key, out var v) ? v : fallback;

    /// <summary>--precision fp32|bf16|fp16 (fp32 when absent): the spelling reference.py takes too.</summary>
    public TrainingPrecision Precision() =>
        Text("precision", "fp32") switch
        {
            "fp32" => TrainingPrecision.Fp32,
            "bf16" => TrainingPrecision.Bf16,
            "fp16" => TrainingPrecision.Fp16,
            var other => throw new ArgumentException($"--precision '{other}': use fp32, bf16 or fp16."),
        };
}
