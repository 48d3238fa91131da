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
            html.Append(HistoryChart(history, "loss").ToHtml());
            html.Append(HistoryChart(history, "accuracy").ToHtml());
            if (metrics.Contains("recall") || metrics.Contains("val_recall")) html.Append(MacroMetricsChart(history).ToHtml());
        }
        return html.Append("</div>").ToString();
    }

    /// <summary>Macro precision, recall and F1 over the epochs, training and validation.</summary>
    public static Chart MacroMetricsChart(History history)
    {
        var series = new Dictionary<string, IReadOnlyList<double>>();
        foreach (var name in new[] { "precision", "recall", "f1", "val_precision", "val_recall", "val_f1" })
        {
            var values = history[name];
            if (values.Any(v => v.HasValue)) series[name] = values.Select(v => v ?? double.NaN).ToArray();
        }
        return Chart.Curves(series, "Precision, recall and F1 (macro)", "score", (0, 1));
    }

    /// <summary>metric and val_metric over the epochs ("loss" or "accuracy").</summary>
    public static Chart HistoryChart(History history, string metric)
    {
        var series = new Dictionary<string, IReadOnlyList<double>>();
        foreach (var name in new[] { metric, "val_" + metric })
        {
            var values = history[name];
            if (values.Any(v => v.HasValue)) series[name] = values.Select(v => v ?? double.NaN).ToArray();
        }
        return Chart.Curves(series, metric == "loss" ? "Loss" : "Accuracy", metric, metric == "accuracy" ? (0, 1) : null);
    }

    /// <summary>The matrix as an annotated heatmap, raw counts or row-normalized (seed 001's plot).</summary>
    public static Chart ConfusionMatrixChart(ConfusionMatrix matrix, IReadOnlyList<string>? classNames = null, bool normalized = false)
    {
        var names = classNames ?? Enumerable.Range(0, matrix.Classes).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        IReadOnlyList<IReadOnlyList<double>> values = normalized
            ? matrix.Normalized()
            : matrix.ToArray().Select(r => (IReadOnlyList<double>)r.Select(v => (double)v).ToArray()).ToArray();
        return Chart.Heatmap(values, names, names, normalized ? "Normalized confusion matrix" : "Confusion matrix",
            format: normalized ? "0.00" : "0");
    }

    /// <summary>scikit-learn's text report, and the confusion matrix beside it.</summary>
    public static string ReportHtml(ClassificationReport report) =>
        $"<div class=\"xray-report\"><pre>{WebUtility.HtmlEncode(report.ToString())}</pre>" +
        ConfusionMatrixChart(report.Matrix, report.Classes.Select(c => c.Name).ToArray()).ToHtml() + "</div>";

    /// <summary>Images per split and class as a table with a bar chart of the training split, then the skipped files.</summary>
    public static string DatasetStatsHtml(DatasetStats stats)
    {
        var classes = stats.Splits.SelectMany(s => s.Classes.Select(c => c.Class)).Distinct().ToList();
        var html = new StringBuilder("<div class=\"xray-stats\"><div>").Append(WebUtility.HtmlEncode(stats.Root)).Append("</div><table><thead><tr><th>split</th>");
        foreach (var c in classes) html.Append("<th>").Append(WebUtility.HtmlEncode(c)).Append("</th>");
        html.Append("<th>total</th></tr></thead><tbody>");
        foreach (var (split, counts) in stats.Splits)
        {
            html.Append("<tr><td>").Append(split).Append("</td>");
            foreach (var c in classes) html.Append("<td>").Append(counts.FirstOrDefault(x => x.Class == c).Count).Append("</td>");
            html.Append("<td>").Append(counts.Sum(x => x.Count)).Append("</td></tr>");
        }
        html.Append("</tbody></table>");
        if (stats.Splits.FirstOrDefault(s => s.Split == "train") is { Classes: { Count: > 0 } train })
            html.Append(Chart.Bars(train.Select(c => c.Class).ToArray(), train.Select(c => (double)c.Count).ToArray(), "Training images per class").ToHtml());
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
        new ConventionFormatter<ConfusionMatrix>("text/html", m => DisplayFormatters.ConfusionMatrixChart(m).ToHtml()),
        new ConventionFormatter<ConfusionMatrix>("image/svg+xml", m => DisplayFormatters.ConfusionMatrixChart(m).ToSvg()),
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
