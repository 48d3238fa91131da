using System.Globalization;
using Plotly.NET;
using Plotly.NET.CSharp;
using Plotly.NET.LayoutObjects;
using XRay.Metrics;
using XRay.Training;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace XRay.Charts;

/// <summary>
/// The blogs' charts, built with Plotly.NET: curves over epochs, bars, annotated confusion matrices, ROC curves; and the
/// clinician's: reliability diagrams, precision–recall curves, the threshold view and intervals as error bars.
/// </summary>
public static class Figures
{
    /// <summary>Curves over epochs, e.g. loss and val_loss (epochs numbered from 1, as Keras prints them); NaN leaves a gap.</summary>
    public static Figure Curves(IReadOnlyDictionary<string, IReadOnlyList<double>> series, string title, string yTitle,
        (double min, double max)? yRange = null)
    {
        var traces = series.Select((s, i) => CSharpChart.Line<int, double, string>(
            Enumerable.Range(1, s.Value.Count), s.Value, Name: s.Key, ShowMarkers: s.Value.Count <= 30,
            LineColor: Colors.Color(i)));
        return Finish(CSharpChart.Combine(traces), title, "epoch", yTitle, yRange);
    }

    /// <summary>metric and val_metric over the epochs ("loss", "accuracy", ...), as the blogs plot history.history.</summary>
    public static Figure History(History history, string metric)
    {
        var series = Present(history, metric, "val_" + metric);
        var title = metric switch { "loss" => "Loss", "accuracy" => "Accuracy", _ => CultureInfo.InvariantCulture.TextInfo.ToTitleCase(metric) };
        return Curves(series, title, metric, metric == "loss" ? null : (0, 1));
    }

    /// <summary>Macro precision, recall and F1 over the epochs, training and validation.</summary>
    public static Figure MacroMetrics(History history) =>
        Curves(Present(history, "precision", "recall", "f1", "val_precision", "val_recall", "val_f1"),
            "Precision, recall and F1 (macro)", "score", (0, 1));

    /// <summary>One bar per category: images per class, accuracy per model, validation accuracy per run.</summary>
    public static Figure Bars(IReadOnlyList<string> categories, IReadOnlyList<double> values, string title, string yTitle = "images")
    {
        var chart = CSharpChart.Column<double, string, string>(values, Keys: categories.ToArray(), MarkerColor: Colors.Color(0));
        return Finish(chart, title, null, yTitle, null);
    }

    /// <summary>
    /// An annotated heatmap, row 0 at the top as sklearn prints a matrix: rows are true labels, columns predicted ones.
    /// Each cell shows its value in white on dark cells and black on light ones.
    /// </summary>
    public static Figure Heatmap(IReadOnlyList<IReadOnlyList<double>> matrix, IReadOnlyList<string> columns, IReadOnlyList<string> rows,
        string title, string xTitle = "predicted", string yTitle = "true", string format = "0.##")
    {
        if (matrix.Count != rows.Count || matrix.Any(r => r.Count != columns.Count))
            throw new ArgumentException($"A {rows.Count}x{columns.Count} heatmap needs a {rows.Count}x{columns.Count} matrix.");
        var (min, max) = Range(matrix);
        var annotations = new List<Annotation>();
        for (var i = 0; i < rows.Count; i++)
            for (var j = 0; j < columns.Count; j++)
                annotations.Add(Annotation(columns[j], rows[i], matrix[i][j].ToString(format, CultureInfo.InvariantCulture),
                    Colors.TextOn(matrix[i][j], min, max)));
        var chart = CSharpChart.Heatmap<double, string, string, string>(matrix, X: columns.ToArray(), Y: rows.ToArray(),
                ColorScale: Colors.Blues, ReverseYAxis: true);
        chart = Plotly.NET.Chart.withAnnotations(annotations, null).Invoke(chart);
        return Finish(chart, title, xTitle, yTitle, null,
            width: Math.Max(420, 110 * columns.Count + 200), height: Math.Max(380, 100 * rows.Count + 160));
    }

    /// <summary>
    /// A Grad-CAM map on its own, in the jet scale with a colour bar from 0 (no evidence) to 1 (the map's peak), row 0 at
    /// the top as in the image: the scale that shows where, and how much, the network looked. Maps larger than
    /// <paramref name="maxSide"/> pixels a side are subsampled to keep the figure small.
    /// </summary>
    public static Figure GradCam(Models.GradCamMap map, string title, int maxSide = 64)
    {
        if (maxSide < 1) throw new ArgumentOutOfRangeException(nameof(maxSide), maxSide, "The side must be at least 1 pixel.");
        var step = Math.Max(1, (int)Math.Ceiling(Math.Max(map.Height, map.Width) / (double)maxSide));
        var rows = Enumerable.Range(0, (map.Height + step - 1) / step).Select(r => r * step).ToArray();
        var cols = Enumerable.Range(0, (map.Width + step - 1) / step).Select(c => c * step).ToArray();
        var z = rows.Select(r => (IEnumerable<double>)cols.Select(c => (double)map[r, c]).ToArray()).ToArray();
        // ColorBar and Title are DynamicObjs whose F# optional arguments aren't optional from C#: set what is needed.
        var barTitle = new Plotly.NET.Title();
        barTitle.SetProperty("text", "evidence (1 = peak)");
        var bar = new Plotly.NET.ColorBar();
        bar.SetProperty("title", barTitle);
        var chart = CSharpChart.Heatmap<double, int, int, string>(z, X: cols, Y: rows,
            ColorScale: Plotly.NET.StyleParam.Colorscale.Jet, ReverseYAxis: true, ColorBar: bar);
        return Finish(chart, title, null, null, null, width: 300, height: 280);
    }

    /// <summary>The matrix as an annotated heatmap, raw counts or row-normalized (seed 001's plot).</summary>
    public static Figure ConfusionMatrix(ConfusionMatrix matrix, IReadOnlyList<string>? classNames = null, bool normalized = false,
        string? title = null)
    {
        var names = classNames ?? Enumerable.Range(0, matrix.Classes).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        IReadOnlyList<IReadOnlyList<double>> values = normalized
            ? matrix.Normalized()
            : matrix.ToArray().Select(r => (IReadOnlyList<double>)r.Select(v => (double)v).ToArray()).ToArray();
        return Heatmap(values, names, names, title ?? (normalized ? "Normalized confusion matrix" : "Confusion matrix"),
            format: normalized ? "0.00" : "0");
    }

    /// <summary>One-vs-rest ROC curves (false positive rate, true positive rate) with their AUC, and the chance diagonal.</summary>
    public static Figure Roc(IReadOnlyList<RocCurve> curves, string title = "ROC")
    {
        var traces = curves.Select((c, i) => CSharpChart.Line<double, double, string>(c.FalsePositiveRate, c.TruePositiveRate,
                Name: string.Create(CultureInfo.InvariantCulture, $"{c.ClassName} (AUC {c.Auc:0.000})"), LineColor: Colors.Color(i)))
            .Append(Diagonal("chance"));
        return Finish(CSharpChart.Combine(traces), title, "false positive rate", "true positive rate", (0, 1));
    }

    /// <summary>
    /// Reliability diagrams, one line per model or calibration (e.g. before and after temperature scaling): each non-empty
    /// bin's mean confidence against its accuracy. On the diagonal the model is right as often as it says; below it, over-confident.
    /// </summary>
    public static Figure Reliability(IReadOnlyDictionary<string, Calibration> calibrations, string title = "Reliability diagram")
    {
        var traces = calibrations.Select((kv, i) =>
            {
                var bins = kv.Value.Diagram.Where(b => b.Count > 0).ToArray();
                return CSharpChart.Line<double, double, string>(bins.Select(b => b.Confidence), bins.Select(b => b.Accuracy), ShowMarkers: true,
                    Name: string.Create(CultureInfo.InvariantCulture, $"{kv.Key} (ECE {kv.Value.Ece:0.000})"), LineColor: Colors.Color(i),
                    MultiText: bins.Select(b => $"{b.Count} images").ToArray());
            })
            .Append(Diagonal("perfectly calibrated"));
        var chart = CSharpChart.Combine(traces);
        chart = Plotly.NET.CSharp.GenericChartExtensions.WithXAxisStyle<double, double, string>(chart, TitleText: "confidence (mean predicted probability of the top class)",
            MinMax: new Tuple<double, double>(0, 1));
        return Finish(chart, title, null, "accuracy (fraction right)", (0, 1));
    }

    /// <summary>One-vs-rest precision–recall curves with their average precision.</summary>
    public static Figure PrecisionRecall(IReadOnlyList<PrecisionRecallCurve> curves, string title = "Precision–recall")
    {
        var traces = curves.Select((c, i) => CSharpChart.Line<double, double, string>(c.Recall, c.Precision,
            Name: string.Create(CultureInfo.InvariantCulture, $"{c.ClassName} (AP {c.AveragePrecision:0.000})"), LineColor: Colors.Color(i)));
        return Finish(CSharpChart.Combine(traces), title, "recall (sensitivity)", "precision", (0, 1.02));
    }

    /// <summary>
    /// The threshold view of one class: sensitivity and specificity as the threshold on its probability moves, and the
    /// operating point, if given, marked.
    /// </summary>
    public static Figure Thresholds(ThresholdCurve curve, OperatingPoint? point = null, string? title = null)
    {
        var traces = new List<GenericChart>
        {
            CSharpChart.Line<double, double, string>(curve.Thresholds, curve.Sensitivity, Name: "sensitivity", LineColor: Colors.Color(0)),
            CSharpChart.Line<double, double, string>(curve.Thresholds, curve.Specificity, Name: "specificity", LineColor: Colors.Color(1)),
        };
        if (point is not null)
            traces.Add(CSharpChart.Point<double, double, string>(new[] { point.Threshold, point.Threshold }, new[] { point.Sensitivity, point.Specificity },
                Name: string.Create(CultureInfo.InvariantCulture, $"threshold {point.Threshold:0.###}: sensitivity {point.Sensitivity:0.###}, specificity {point.Specificity:0.###}"),
                MarkerColor: Plotly.NET.Color.fromHex("#000000")));
        return Finish(CSharpChart.Combine(traces), title ?? $"{curve.ClassName}: sensitivity and specificity by threshold",
            $"threshold on p({curve.ClassName})", "rate", (0, 1.02));
    }

    /// <summary>Bars side by side: one group per category, one bar per series (e.g. recall per class for three ways to train).</summary>
    public static Figure GroupedBars(IReadOnlyList<string> categories, IReadOnlyDictionary<string, IReadOnlyList<double>> series, string title, string yTitle,
        (double min, double max)? yRange = null)
    {
        if (series.Values.Any(v => v.Count != categories.Count))
            throw new ArgumentException($"Each series needs one value per category ({categories.Count}).");
        var traces = series.Select((kv, i) => CSharpChart.Column<double, string, string>(kv.Value, Keys: categories.ToArray(), Name: kv.Key, MarkerColor: Colors.Color(i)));
        return Finish(CSharpChart.Combine(traces), title, null, yTitle, yRange);
    }

    /// <summary>One bar per category with its interval as an error bar (e.g. recall per class with its 95 % bootstrap interval).</summary>
    public static Figure Intervals(IReadOnlyList<string> categories, IReadOnlyList<double> values, IReadOnlyList<Interval> intervals,
        string title, string yTitle)
    {
        if (values.Count != categories.Count || intervals.Count != categories.Count)
            throw new ArgumentException($"{categories.Count} categories need as many values and intervals, got {values.Count} and {intervals.Count}.");
        var chart = CSharpChart.Column<double, string, string>(values, Keys: categories.ToArray(), MarkerColor: Colors.Color(0));
        // Error.init's F# optional arguments aren't optional from C#; it is a DynamicObj, so set what the bars need.
        var error = new Plotly.NET.TraceObjects.Error();
        error.SetProperty("type", "data");
        error.SetProperty("symmetric", false);
        error.SetProperty("array", intervals.Select((v, i) => v.Upper - values[i]).ToArray());
        error.SetProperty("arrayminus", intervals.Select((v, i) => values[i] - v.Lower).ToArray());
        error.SetProperty("visible", true);
        return Finish(Plotly.NET.Chart.withYError(error).Invoke(chart), title, null, yTitle, (0, 1.02));
    }

    private static GenericChart Diagonal(string name) =>
        CSharpChart.Line<double, double, string>(new double[] { 0, 1 }, new double[] { 0, 1 }, Name: name,
            LineColor: Plotly.NET.Color.fromHex("#999999"), LineDash: StyleParam.DrawingStyle.Dash);

    private static Figure Finish(GenericChart chart, string title, string? xTitle, string? yTitle, (double, double)? yRange,
        int width = 640, int height = 420)
    {
        chart = Plotly.NET.Chart.withTitle(title, null).Invoke(chart).WithSize(width, height);
        if (xTitle is not null) chart = Plotly.NET.CSharp.GenericChartExtensions.WithXAxisStyle<double, double, string>(chart, TitleText: xTitle);
        if (yTitle is not null || yRange is not null)
            chart = Plotly.NET.CSharp.GenericChartExtensions.WithYAxisStyle<double, double, string>(chart, TitleText: yTitle ?? "",
                MinMax: yRange is { } r ? new Tuple<double, double>(r.Item1, r.Item2) : default(Plotly.NET.CSharp.Optional<Tuple<double, double>>));
        return new Figure(chart, title, width, height);
    }

    // Annotation.init's 42 F# optional arguments aren't optional from C#; it is a DynamicObj, so set what the cell needs.
    private static Annotation Annotation(string x, string y, string text, string color)
    {
        var annotation = new Annotation();
        annotation.SetProperty("x", x);
        annotation.SetProperty("y", y);
        annotation.SetProperty("text", text);
        annotation.SetProperty("showarrow", false);
        annotation.SetProperty("font", Font.init(null, null, Plotly.NET.Color.fromString(color)));
        return annotation;
    }

    private static Dictionary<string, IReadOnlyList<double>> Present(History history, params string[] names)
    {
        var series = new Dictionary<string, IReadOnlyList<double>>();
        foreach (var name in names)
        {
            var values = history[name];
            if (values.Any(v => v.HasValue)) series[name] = values.Select(v => v ?? double.NaN).ToArray();
        }
        return series;
    }

    private static (double min, double max) Range(IReadOnlyList<IReadOnlyList<double>> z)
    {
        var values = z.SelectMany(r => r).Where(double.IsFinite).ToArray();
        return values.Length == 0 ? (0, 1) : (values.Min(), values.Max());
    }
}
