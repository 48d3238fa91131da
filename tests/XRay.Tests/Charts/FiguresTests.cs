using System.Text.Json.Nodes;
using XRay.Charts;
using XRay.Metrics;
using XRay.Training;

namespace XRay.Tests.Charts;

public class FiguresTests
{
    internal static Figure ConfusionMatrix() => Figures.Heatmap(
        new IReadOnlyList<double>[] { new double[] { 485, 5, 1 }, new double[] { 6, 535, 4 }, new double[] { 2, 16, 509 } },
        new[] { "Normal", "Covid", "Pneumonia" }, new[] { "Normal", "Covid", "Pneumonia" }, "Confusion matrix");

    private static JsonNode Json(Figure figure) => JsonNode.Parse(figure.ToJson())!;

    [Fact]
    public void A_heatmap_has_one_annotation_per_cell_with_light_text_on_dark_cells()
    {
        var figure = Json(ConfusionMatrix());
        var trace = figure["data"]![0]!;
        Assert.Equal("heatmap", trace["type"]!.GetValue<string>());
        Assert.Equal(535, trace["z"]![1]![1]!.GetValue<double>());
        Assert.Equal(new[] { "Normal", "Covid", "Pneumonia" }, trace["x"]!.AsArray().Select(v => v!.GetValue<string>()));
        var annotations = figure["layout"]!["annotations"]!.AsArray();
        Assert.Equal(9, annotations.Count);
        Assert.Equal("16", annotations[7]!["text"]!.GetValue<string>());
        Assert.Equal("Pneumonia", annotations[7]!["y"]!.GetValue<string>());
        Assert.Equal("Covid", annotations[7]!["x"]!.GetValue<string>());
        Assert.Equal("white", annotations[4]!["font"]!["color"]!.GetValue<string>()); // 535: dark cell, light text
        Assert.Equal("black", annotations[1]!["font"]!["color"]!.GetValue<string>()); // 5: light cell, dark text
        Assert.Equal("reversed", figure["layout"]!["yaxis"]!["autorange"]!.GetValue<string>()); // row 0 on top, as sklearn prints it
    }

    [Fact]
    public void A_normalized_confusion_matrix_shows_each_row_as_fractions()
    {
        var matrix = new ConfusionMatrix(new[] { 0, 0, 0, 1 }, new[] { 0, 0, 1, 1 }, 2);
        var figure = Json(Figures.ConfusionMatrix(matrix, new[] { "a", "b" }, normalized: true));
        var texts = figure["layout"]!["annotations"]!.AsArray().Select(a => a!["text"]!.GetValue<string>());
        Assert.Equal(new[] { "0.67", "0.33", "0.00", "1.00" }, texts);
        Assert.Equal("Normalized confusion matrix", figure["layout"]!["title"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void Mismatched_sizes_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            Figures.Heatmap(new IReadOnlyList<double>[] { new double[] { 1, 2 } }, new[] { "a", "b", "c" }, new[] { "x" }, "bad"));
        Assert.Contains("1x3", e.Message);
    }

    [Fact]
    public void History_curves_are_line_traces_over_epochs_from_one()
    {
        var history = new History(new[]
        {
            new EpochRecord(1, 0.9, 0.5, 1.0, 0.45, 1e-3, 2.0),
            new EpochRecord(2, 0.6, 0.7, 0.8, 0.6, 1e-3, 2.1),
            new EpochRecord(3, 0.4, 0.8, 0.7, 0.7, 1e-3, 2.1),
        });
        var figure = Json(Figures.History(history, "loss"));
        var data = figure["data"]!.AsArray();
        Assert.Equal(new[] { "loss", "val_loss" }, data.Select(t => t!["name"]!.GetValue<string>()));
        Assert.All(data, t => Assert.Equal("scatter", t!["type"]!.GetValue<string>()));
        Assert.Equal(new[] { 1, 2, 3 }, data[0]!["x"]!.AsArray().Select(v => v!.GetValue<int>()));
        Assert.Equal(new[] { 1.0, 0.8, 0.7 }, data[1]!["y"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal("epoch", figure["layout"]!["xaxis"]!["title"]!["text"]!.GetValue<string>());
        var accuracy = Json(Figures.History(history, "accuracy"));
        Assert.Equal(new[] { 0.0, 1.0 }, accuracy["layout"]!["yaxis"]!["range"]!.AsArray().Select(v => v!.GetValue<double>()));
    }

    [Fact]
    public void Bars_have_one_bar_per_category()
    {
        var figure = Json(Figures.Bars(new[] { "COVID19", "NORMAL", "PNEUMONIA" }, new double[] { 460, 1266, 3418 }, "Training images"));
        var trace = figure["data"]![0]!;
        Assert.Equal("bar", trace["type"]!.GetValue<string>());
        Assert.Equal(new[] { "COVID19", "NORMAL", "PNEUMONIA" }, trace["x"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(new[] { 460.0, 1266, 3418 }, trace["y"]!.AsArray().Select(v => v!.GetValue<double>()));
    }

    [Fact]
    public void Roc_curves_name_their_auc_and_add_the_chance_diagonal()
    {
        var curve = RocCurve.Compute(new[] { 0, 0, 1, 1 }, new[] { 0.1, 0.4, 0.35, 0.8 }, positive: 1, className: "PNEUMONIA");
        var data = Json(Figures.Roc(new[] { curve }))["data"]!.AsArray();
        Assert.Equal(new[] { "PNEUMONIA (AUC 0.750)", "chance" }, data.Select(t => t!["name"]!.GetValue<string>()));
        Assert.Equal("dash", data[1]!["line"]!["dash"]!.GetValue<string>());
        Assert.Equal(curve.TruePositiveRate, data[0]!["y"]!.AsArray().Select(v => v!.GetValue<double>()));
    }

    [Fact]
    public void The_html_fragment_draws_when_plotly_is_there_and_carries_plotly_only_when_asked()
    {
        var fragment = ConfusionMatrix().ToHtml();
        Assert.Contains("Plotly.newPlot(", fragment);
        Assert.DoesNotContain(PlotlyJs.ScriptMarker, fragment);
        Assert.DoesNotContain("cdn", fragment, StringComparison.OrdinalIgnoreCase);
        var standalone = ConfusionMatrix().ToHtml(includePlotly: true);
        Assert.Contains(PlotlyJs.ScriptMarker + "=\"2.28.0\"", standalone);
        Assert.Contains("plotly.js v2.28.0", standalone);
    }

    [Fact]
    public void Any_plotly_net_chart_becomes_a_figure()
    {
        var chart = Plotly.NET.CSharp.Chart.Point<double, double, string>(new[] { 1.0, 2 }, new[] { 3.0, 4 });
        var figure = chart.ToFigure("points", width: 300, height: 200);
        Assert.Equal(300, Json(figure)["layout"]!["width"]!.GetValue<int>());
        Assert.Equal("Figure: points", figure.ToString());
    }

    [Fact]
    public void A_reliability_diagram_has_a_line_per_calibration_over_its_used_bins_and_the_diagonal()
    {
        var labels = new[] { 0, 1, 1, 0 };
        var p = new[] { new[] { 0.9, 0.1 }, new[] { 0.6, 0.4 }, new[] { 0.2, 0.8 }, new[] { 0.55, 0.45 } };
        var before = Calibration.Compute(labels, p);
        var after = Calibration.Compute(labels, p.Select(r => TemperatureScaling.Apply(r, 2)).ToArray());
        var figure = Json(Figures.Reliability(new Dictionary<string, Calibration> { ["before"] = before, ["after T=2"] = after }));
        var data = figure["data"]!.AsArray();
        Assert.Equal(3, data.Count);
        Assert.StartsWith("before (ECE ", data[0]!["name"]!.GetValue<string>());
        var used = before.Diagram.Where(b => b.Count > 0).ToArray();
        Assert.Equal(used.Select(b => b.Confidence), data[0]!["x"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal(used.Select(b => b.Accuracy), data[0]!["y"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal("perfectly calibrated", data[2]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void Intervals_are_asymmetric_error_bars_around_the_values()
    {
        var figure = Json(Figures.Intervals(new[] { "a", "b" }, new[] { 0.8, 0.5 }, new[] { new Interval(0.7, 0.85), new Interval(0.3, 0.6) }, "Recall", "recall"));
        var error = figure["data"]![0]!["error_y"]!;
        Assert.Equal(new[] { 0.05, 0.1 }, error["array"]!.AsArray().Select(v => Math.Round(v!.GetValue<double>(), 12)));
        Assert.Equal(new[] { 0.1, 0.2 }, error["arrayminus"]!.AsArray().Select(v => Math.Round(v!.GetValue<double>(), 12)));
        Assert.Throws<ArgumentException>(() => Figures.Intervals(new[] { "a" }, new[] { 0.8, 0.5 }, new[] { new Interval(0, 1) }, "x", "y"));
    }

    [Fact]
    public void The_threshold_view_and_the_precision_recall_curve_plot_their_curves()
    {
        int[] y = { 0, 0, 1, 1, 0, 1, 1, 0, 1, 0 };
        double[] s = { 0.1, 0.4, 0.35, 0.8, 0.4, 0.9, 0.6, 0.2, 0.6, 0.7 };
        var curve = ThresholdCurve.Compute(y, s, 1, "COVID19");
        var thresholds = Json(Figures.Thresholds(curve, curve.AtSensitivity(0.8)))["data"]!.AsArray();
        Assert.Equal(3, thresholds.Count);
        Assert.Equal(curve.Sensitivity, thresholds[0]!["y"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal(curve.Specificity, thresholds[1]!["y"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal(0.6, thresholds[2]!["x"]![0]!.GetValue<double>()); // sensitivity 0.8 is first reached at 0.6
        var pr = PrecisionRecallCurve.Compute(y, s, 1, "COVID19");
        var trace = Json(Figures.PrecisionRecall(new[] { pr }))["data"]![0]!;
        Assert.Equal(pr.Recall, trace["x"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.StartsWith("COVID19 (AP 0.845)", trace["name"]!.GetValue<string>());
    }

    [Fact]
    public void Grouped_bars_have_a_trace_per_series()
    {
        var figure = Json(Figures.GroupedBars(new[] { "NORMAL", "COVID19" },
            new Dictionary<string, IReadOnlyList<double>> { ["plain"] = new[] { 0.9, 0.2 }, ["weighted"] = new[] { 0.8, 0.6 } }, "Recall", "recall"));
        Assert.Equal(new[] { "plain", "weighted" }, figure["data"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
    }

    [Fact]
    public void A_grad_cam_map_is_drawn_on_the_jet_scale_with_a_colour_bar_row_0_on_top_and_subsampled()
    {
        // 100 x 80 map whose value is its row / 99: the figure keeps every second row and column (at most 64 a side).
        var heat = Enumerable.Range(0, 100 * 80).Select(i => (i / 80) / 99f).ToArray();
        var figure = Json(Figures.GradCam(new XRay.Models.GradCamMap(1, heat, 100, 80), "right: COVID19"));
        var trace = figure["data"]![0]!;
        Assert.Equal("heatmap", trace["type"]!.GetValue<string>());
        Assert.Equal("Jet", trace["colorscale"]!.GetValue<string>());
        Assert.Equal("evidence (1 = peak)", trace["colorbar"]!["title"]!["text"]!.GetValue<string>());
        var z = trace["z"]!.AsArray();
        Assert.Equal((50, 40), (z.Count, z[0]!.AsArray().Count));
        Assert.Equal(98 / 99.0, z[49]![0]!.GetValue<double>(), 6);   // row 98 of the map
        Assert.Equal(98, trace["y"]![49]!.GetValue<int>());
        Assert.Equal("reversed", figure["layout"]!["yaxis"]!["autorange"]!.GetValue<string>());
    }
}
