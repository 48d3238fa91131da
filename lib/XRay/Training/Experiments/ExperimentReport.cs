using Microsoft.Data.Analysis;
using XRay.Charts;
using XRay.Metrics;

namespace XRay.Training.Experiments;

/// <summary>Seed 003's table beside ours: the chance row, then each row's mean ± sd over its seeds and the seed's own numbers.</summary>
public static class ExperimentReport
{
    public const string MajorityName = "majority class (chance)";

    /// <param name="majority">The majority-class accuracy on the same validation images (<see cref="MajorityClass.Accuracy"/>).</param>
    public static DataFrame Table(ExperimentGrid grid, IReadOnlyList<ExperimentResult> results, double majority)
    {
        var names = new List<string> { MajorityName };
        var changes = new List<string> { "always the largest class" };
        var mean = new List<double?> { majority };
        var sd = new List<double?> { 0 };
        var text = new List<string> { FormattableString.Invariant($"{majority:0.000}") };
        var best = new List<string> { "" };
        var loss = new List<string> { "" };
        var trainAcc = new List<string> { "" };
        var epochs = new List<string> { "" };
        var seconds = new List<double?> { null };
        var seedTest = new List<double?> { MajorityClass.Seed003Test };
        var seedRow = new List<string> { "always PNEUMONIA on the seed's test set (428 of 588)" };
        var seedNote = new List<string> { "" };
        foreach (var r in results)
        {
            names.Add(r.Row.Name);
            changes.Add(r.Row == grid.Baseline ? "baseline" : grid.Change(r.Row));
            var acc = r.ValAccuracy;
            mean.Add(acc.Mean);
            sd.Add(double.IsNaN(acc.Sd) ? null : acc.Sd);
            text.Add(acc.ToString());
            best.Add(r.BestValAccuracy.ToString());
            loss.Add(r.ValLoss.ToString());
            trainAcc.Add(r.TrainAccuracy.ToString());
            epochs.Add(string.Join(" ", r.Seeds.Select(s => s.EpochsRun)));
            seconds.Add(Math.Round(r.Seconds, 1));
            seedTest.Add(r.Row.Seed003?.TestAccuracy);
            seedRow.Add(r.Row.Seed003?.Describe() ?? "—");
            seedNote.Add(r.Row.SeedNote ?? "");
        }
        return new DataFrame(
            new StringDataFrameColumn("row", names),
            new StringDataFrameColumn("change", changes),
            new StringDataFrameColumn("val_accuracy", text),
            new DoubleDataFrameColumn("mean", mean),
            new DoubleDataFrameColumn("sd", sd),
            new StringDataFrameColumn("best_val_accuracy", best),
            new StringDataFrameColumn("val_loss", loss),
            new StringDataFrameColumn("train_accuracy", trainAcc),
            new StringDataFrameColumn("epochs_run", epochs),
            new DoubleDataFrameColumn("seconds", seconds),
            new DoubleDataFrameColumn("seed003_test_accuracy", seedTest),
            new StringDataFrameColumn("seed003_row", seedRow),
            new StringDataFrameColumn("seed003_note", seedNote));
    }

    /// <summary>One bar per row, mean validation accuracy with ± 1 sd as its error bar, after the chance bar.</summary>
    public static Figure Chart(IReadOnlyList<ExperimentResult> results, double majority)
    {
        var names = new List<string> { MajorityName };
        var means = new List<double> { majority };
        var intervals = new List<Interval> { new(majority, majority) };
        foreach (var r in results)
        {
            var acc = r.ValAccuracy;
            var sd = double.IsNaN(acc.Sd) ? 0 : acc.Sd;
            names.Add(r.Row.Name);
            means.Add(acc.Mean);
            intervals.Add(new Interval(acc.Mean - sd, acc.Mean + sd));
        }
        var n = results.Count == 0 ? 0 : results.Min(r => r.Seeds.Count);
        return Figures.Intervals(names, means, intervals, $"Validation accuracy by row: mean ± 1 sd over {n} seeds", "val_accuracy");
    }

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
