using System.Globalization;
using System.Net;
using System.Text;
using XRay.Charts;
using XRay.Data;
using XRay.Metrics;
using XRay.Models;
using XRay.Training;

namespace XRay.Display;

/// <summary>How the library's results look in a notebook: tables and charts as the blogs show them.</summary>
public static class DisplayFormatters
{
    /// <summary>
    /// The epoch table and the loss and accuracy curves, as the blogs plot history.history; and, when the history has
    /// them, the macro precision, recall and F1 curves (what keras-io's X-ray example watches on imbalanced data).
    /// </summary>
    public static string HistoryHtml(History history)
    {
        var metrics = EpochRecord.MetricNames.Where(m => history[m].Any(v => v.HasValue)).ToList();
        var html = new StringBuilder("<div class=\"xray-history\"><table><thead><tr>");
        foreach (var h in metrics.Prepend("epoch").Append("seconds"))
            html.Append("<th>").Append(h).Append("</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var e in history.Epochs)
        {
            html.Append("<tr>");
            foreach (var v in metrics.Select(m => (object?)e.Get(m)).Prepend(e.Epoch).Append(e.Seconds))
                html.Append("<td>").Append(Cell(v)).Append("</td>");
            html.Append("</tr>");
        }
        html.Append("</tbody></table>");
        if (history.Epochs.Count > 0)
        {
            html.Append(Figures.History(history, "loss").ToNotebookHtml());
            html.Append(Figures.History(history, "accuracy").ToNotebookHtml());
            if (metrics.Contains("recall") || metrics.Contains("val_recall")) html.Append(Figures.MacroMetrics(history).ToNotebookHtml());
        }
        return html.Append("</div>").ToString();
    }

    /// <summary>scikit-learn's text report. Its matrix is a figure of its own (report.Matrix), so a notebook shows it once.</summary>
    public static string ReportHtml(ClassificationReport report) =>
        $"<div class=\"xray-report\"><pre>{WebUtility.HtmlEncode(report.ToString())}</pre></div>";

    /// <summary>Images per split and class as a table with a bar chart of the training split, then the skipped files.</summary>
    public static string DatasetStatsHtml(DatasetStats stats)
    {
        var html = new StringBuilder("<div class=\"xray-stats\"><div>").Append(WebUtility.HtmlEncode(stats.Root)).Append("</div>")
            .Append(new Table(stats.ToDataFrame()).ToHtml());
        if (stats.Splits.FirstOrDefault(s => s.Split == "train") is { Classes: { Count: > 0 } train })
            html.Append(Figures.Bars(train.Select(c => c.Class).ToArray(), train.Select(c => (double)c.Count).ToArray(), "Training images per class").ToNotebookHtml());
        html.Append(stats.Skipped.Count == 0 ? "<div>No files skipped.</div>" : $"<div>Skipped {stats.Skipped.Count} file(s):</div><ul>");
        foreach (var s in stats.Skipped) html.Append("<li>").Append(WebUtility.HtmlEncode($"{s.Path}: {s.Reason}")).Append("</li>");
        if (stats.Skipped.Count > 0) html.Append("</ul>");
        return html.Append("</div>").ToString();
    }

    private static string Cell(object? v) => v switch
    {
        null => "",
        double d => d.ToString("0.####", CultureInfo.InvariantCulture),
        _ => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
    };
}

internal sealed class HistoryFormatterSource
{
    public IEnumerable<object> CreateTypeFormatters() => new object[]
    {
        new ConventionFormatter<History>("text/html", DisplayFormatters.HistoryHtml),
    };
}

internal sealed class ConfusionMatrixFormatterSource
{
    public IEnumerable<object> CreateTypeFormatters() => new object[]
    {
        new ConventionFormatter<ConfusionMatrix>("text/html", m => Figures.ConfusionMatrix(m).ToNotebookHtml()),
        new ConventionFormatter<ConfusionMatrix>("text/plain", m => m.ToString()),
    };
}

internal sealed class ClassificationReportFormatterSource
{
    public IEnumerable<object> CreateTypeFormatters() => new object[]
    {
        new ConventionFormatter<ClassificationReport>("text/html", DisplayFormatters.ReportHtml),
        new ConventionFormatter<ClassificationReport>("text/plain", r => r.ToString()),
    };
}

internal sealed class ModelSummaryFormatterSource
{
    public IEnumerable<object> CreateTypeFormatters() => new object[]
    {
        new ConventionFormatter<ModelSummary>("text/html", s => s.ToHtml()),
        new ConventionFormatter<ModelSummary>("text/plain", s => s.ToString()),
    };
}

internal sealed class DatasetStatsFormatterSource
{
    public IEnumerable<object> CreateTypeFormatters() => new object[]
    {
        new ConventionFormatter<DatasetStats>("text/html", DisplayFormatters.DatasetStatsHtml),
        new ConventionFormatter<DatasetStats>("text/plain", s => s.ToText()),
    };
}
