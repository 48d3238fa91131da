using System.Globalization;
using Microsoft.Data.Analysis;
using XRay.Data;
using XRay.Metrics;
using XRay.Training;

namespace XRay.Display;

/// <summary>
/// The library's results as DataFrames, for notebook tables (<see cref="TableExtensions.AsTable"/>): they live here,
/// beside Microsoft.Data.Analysis, so the core library has no table dependency. Extension methods, so a notebook
/// still writes <c>stats.ToDataFrame()</c> and <c>predictions.MisclassifiedFrame()</c>.
/// </summary>
public static class Frames
{
    /// <summary>One row per split: its images per class and the total.</summary>
    public static DataFrame ToDataFrame(this DatasetStats stats)
    {
        var classes = stats.Splits.SelectMany(s => s.Classes.Select(c => c.Class)).Distinct().ToList();
        var columns = new List<DataFrameColumn> { new StringDataFrameColumn("split", stats.Splits.Select(s => s.Split)) };
        foreach (var name in classes)
            columns.Add(new Int32DataFrameColumn(name, stats.Splits.Select(s => s.Classes.FirstOrDefault(c => c.Class == name).Count)));
        columns.Add(new Int32DataFrameColumn("total", stats.Splits.Select(s => s.Classes.Sum(c => c.Count))));
        return new DataFrame(columns);
    }

    /// <summary>The samples the model got wrong as a table (path, true, predicted, confidence), most confident first.</summary>
    public static DataFrame MisclassifiedFrame(this Predictions predictions)
    {
        var wrong = predictions.Misclassified();
        return new DataFrame(
            new StringDataFrameColumn("path", wrong.Select(m => m.Path)),
            new StringDataFrameColumn("true", wrong.Select(m => m.TrueClass)),
            new StringDataFrameColumn("predicted", wrong.Select(m => m.PredictedClass)),
            new SingleDataFrameColumn("confidence", wrong.Select(m => m.Confidence)));
    }

    /// <summary>One row per sample: path, true, pred and one probability per class (named p_&lt;class&gt;), as predictions.csv.</summary>
    public static DataFrame ToDataFrame(this Predictions predictions)
    {
        var columns = new List<DataFrameColumn>
        {
            new StringDataFrameColumn("path", predictions.Paths),
            new StringDataFrameColumn("true", predictions.Labels.Select(l => predictions.ClassNames[l])),
            new StringDataFrameColumn("pred", predictions.Predicted.Select(p => predictions.ClassNames[p])),
        };
        for (var c = 0; c < predictions.ClassNames.Count; c++)
            columns.Add(new SingleDataFrameColumn(Predictions.ProbabilityPrefix + predictions.ClassNames[c], predictions.Probabilities.Select(p => p[c])));
        return new DataFrame(columns);
    }

    /// <summary>
    /// The runs side by side, seed 003's comparison table: name, model, input, optimizer, learning rate, batch, epochs,
    /// final (validation) loss and accuracy, seconds, status; with <paramref name="logs"/>, a first column naming each run's log.
    /// </summary>
    public static DataFrame CompareRuns(IReadOnlyList<RunRecord> runs, IReadOnlyList<string>? logs = null)
    {
        var columns = new List<DataFrameColumn>();
        if (logs is not null) columns.Add(new StringDataFrameColumn("log", logs));
        columns.AddRange(new DataFrameColumn[]
        {
            new StringDataFrameColumn("name", runs.Select(r => r.Name ?? r.Id.ToString(CultureInfo.InvariantCulture))),
            new StringDataFrameColumn("arch", runs.Select(r => r.Arch)),
            new StringDataFrameColumn("input", runs.Select(r => r.InputShape)),
            new StringDataFrameColumn("optimizer", runs.Select(r => r.Optimizer)),
            new DoubleDataFrameColumn("lr", runs.Select(r => r.LearningRate)),
            new Int32DataFrameColumn("batch", runs.Select(r => r.BatchSize)),
            new Int32DataFrameColumn("epochs", runs.Select(r => r.EpochsCompleted)),
            new DoubleDataFrameColumn("loss", runs.Select(r => r.FinalLoss)),
            new DoubleDataFrameColumn("accuracy", runs.Select(r => r.FinalAccuracy)),
            new DoubleDataFrameColumn("val_loss", runs.Select(r => r.FinalValLoss)),
            new DoubleDataFrameColumn("val_accuracy", runs.Select(r => r.FinalValAccuracy)),
            new DoubleDataFrameColumn("seconds", runs.Select(r => r.DurationSeconds)),
            new StringDataFrameColumn("status", runs.Select(r => r.Status)),
        });
        return new DataFrame(columns);
    }

    /// <summary><see cref="CompareRuns(IReadOnlyList{RunRecord}, IReadOnlyList{string}?)"/> for <see cref="RunLog.RunsUnder"/>'s rows.</summary>
    public static DataFrame CompareRuns(IReadOnlyList<(string Log, RunRecord Run)> runs) =>
        CompareRuns(runs.Select(r => r.Run).ToList(), runs.Select(r => r.Log).ToList());
}
