using XRay.Metrics;

namespace XRay.Training.Experiments;

/// <summary>
/// Seed 003's comparison in words: the chance row, then each row against the baseline (XRay.Display's ExperimentTables
/// draws the table, each row's mean ± sd over its seeds and the seed's own numbers, and the chart).
/// </summary>
public static class ExperimentReport
{
    public const string MajorityName = "majority class (chance)";

    /// <summary>
    /// What the table shows, one line a row: the baseline against chance, then each row's difference from the baseline's mean
    /// and whether it exceeds the two rows' sds added together (a rough bar: a difference inside the seeds' spread is not one).
    /// </summary>
    public static IReadOnlyList<string> Findings(IReadOnlyList<ExperimentResult> results, double majority)
    {
        if (results.Count == 0) return Array.Empty<string>();
        var b = results[0].ValAccuracy;
        var lines = new List<string>
        {
            FormattableString.Invariant($"{results[0].Row.Name}: {b}, {(b.Mean > majority ? "above" : "NOT above")} the majority class's {majority:0.000}"),
        };
        foreach (var r in results.Skip(1))
        {
            var a = r.ValAccuracy;
            var diff = a.Mean - b.Mean;
            var spread = (double.IsNaN(a.Sd) ? 0 : a.Sd) + (double.IsNaN(b.Sd) ? 0 : b.Sd);
            var verdict = double.IsNaN(a.Sd) || double.IsNaN(b.Sd) ? "one seed: no sd to compare with"
                : Math.Abs(diff) > spread ? FormattableString.Invariant($"larger than the sds together ({spread:0.000})")
                : FormattableString.Invariant($"within the sds together ({spread:0.000})");
            lines.Add(FormattableString.Invariant($"{r.Row.Name}: {a.Mean:0.000}, {diff:+0.000;-0.000;0.000} against the baseline, {verdict}"));
        }
        return lines;
    }
}
