using Microsoft.Data.Analysis;
using XRay.Charts;
using XRay.Metrics;
using XRay.Training.Experiments;

namespace XRay.Display;

/// <summary>
/// Seed 003's table beside ours, and its chart: <see cref="ExperimentReport"/>'s results as a DataFrame and a figure
/// (ExperimentReport itself keeps the findings, in words, in the core library).
/// </summary>
public static class ExperimentTables
{
    /// <param name="majority">The majority-class accuracy on the same validation images (<see cref="MajorityClass.Accuracy"/>).</param>
    public static DataFrame Table(ExperimentGrid grid, IReadOnlyList<ExperimentResult> results, double majority)
    {
        var names = new List<string> { ExperimentReport.MajorityName };
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
        var names = new List<string> { ExperimentReport.MajorityName };
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
}
