using System.Xml.Linq;
using XRay.Charts;

namespace XRay.Tests.Charts;

public class ChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static Chart ConfusionMatrix() => Chart.Heatmap(
        new IReadOnlyList<double>[] { new double[] { 485, 5, 1 }, new double[] { 6, 535, 4 }, new double[] { 2, 16, 509 } },
        new[] { "0", "1", "2" }, new[] { "0", "1", "2" }, "Confusion matrix");

    [Fact]
    public void A_heatmap_is_plotlys_figure_with_one_annotation_per_cell()
    {
        var figure = ConfusionMatrix().ToFigure();
        var trace = figure["data"]![0]!;
        Assert.Equal("heatmap", trace["type"]!.GetValue<string>());
        Assert.Equal(535, trace["z"]![1]![1]!.GetValue<double>());
        var annotations = figure["layout"]!["annotations"]!.AsArray();
        Assert.Equal(9, annotations.Count);
        Assert.Equal("16", annotations[7]!["text"]!.GetValue<string>());
        Assert.Equal("reversed", figure["layout"]!["yaxis"]!["autorange"]!.GetValue<string>()); // row 0 on top
        Assert.Equal("white", annotations[4]!["font"]!["color"]!.GetValue<string>()); // dark cell, light text
        Assert.Equal("black", annotations[1]!["font"]!["color"]!.GetValue<string>());
    }

    [Fact]
    public void Curves_are_scatter_traces_over_epochs()
    {
        var chart = Chart.Curves(new Dictionary<string, IReadOnlyList<double>>
        {
            ["loss"] = new[] { 0.9, 0.6, 0.4 }, ["val_loss"] = new[] { 1.0, 0.7, double.NaN },
        }, "Loss", "loss");
        var data = chart.ToFigure()["data"]!.AsArray();
        Assert.Equal(2, data.Count);
        Assert.Equal("scatter", data[0]!["type"]!.GetValue<string>());
        Assert.Equal(new[] { 1.0, 2, 3 }, data[0]!["x"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Null(data[1]!["y"]![2]); // NaN becomes null, which plotly.js leaves as a gap
        Assert.Equal("val_loss", data[1]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void Html_loads_plotly_from_the_given_url_and_draws_the_figure()
    {
        var html = ConfusionMatrix().ToHtml("http://127.0.0.1:1/plotly.min.js");
        Assert.Contains("Plotly.newPlot(", html);
        Assert.Contains("\"http://127.0.0.1:1/plotly.min.js\"", html);
        Assert.Contains("\"type\":\"heatmap\"", html);
        Assert.Contains(Chart.PlotlyCdn, ConfusionMatrix().ToHtml());
    }

    [Fact]
    public void Svg_parses_as_xml_with_one_rect_per_heatmap_cell()
    {
        var doc = XDocument.Parse(ConfusionMatrix().ToSvg());
        Assert.Equal(Svg + "svg", doc.Root!.Name);
        Assert.Equal(9, doc.Descendants(Svg + "rect").Count(r => (string?)r.Attribute("class") == "cell"));
        var texts = doc.Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("535", texts);
        Assert.Contains("Confusion matrix", texts);
    }

    [Fact]
    public void Svg_of_curves_and_bars_has_a_polyline_per_trace_and_a_rect_per_bar()
    {
        var curves = Chart.Curves(new Dictionary<string, IReadOnlyList<double>>
        {
            ["accuracy"] = new[] { 0.5, 0.7, 0.8 }, ["val_accuracy"] = new[] { 0.45, 0.6, 0.75 },
        }, "Accuracy <&>", "accuracy", (0, 1));
        var svg = XDocument.Parse(curves.ToSvg());
        Assert.Equal(2, svg.Descendants(Svg + "polyline").Count());
        Assert.Contains("Accuracy <&>", svg.Descendants(Svg + "text").Select(t => t.Value)); // escaped, then parsed back

        var bars = Chart.Bars(new[] { "COVID19", "NORMAL", "PNEUMONIA" }, new double[] { 460, 1266, 3418 }, "Training images");
        var barSvg = XDocument.Parse(bars.ToSvg());
        var rects = barSvg.Descendants(Svg + "rect").Where(r => (string?)r.Attribute("class") == "bar").ToList();
        Assert.Equal(3, rects.Count);
        var heights = rects.Select(r => double.Parse((string)r.Attribute("height")!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(heights[2] > heights[1] && heights[1] > heights[0]);
        Assert.Equal(3418.0 / 460, heights[2] / heights[0], 2);
    }

    [Fact]
    public void Roc_adds_the_chance_diagonal_and_names_the_auc()
    {
        var chart = Chart.Roc(new[] { ("PNEUMONIA", (IReadOnlyList<double>)new[] { 0, 0.1, 1.0 }, (IReadOnlyList<double>)new[] { 0, 0.9, 1.0 }, 0.9) });
        var data = chart.ToFigure()["data"]!.AsArray();
        Assert.Equal(2, data.Count);
        Assert.Equal("PNEUMONIA (AUC 0.900)", data[0]!["name"]!.GetValue<string>());
        Assert.Equal("dash", data[1]!["line"]!["dash"]!.GetValue<string>());
    }

    [Fact]
    public void A_heatmap_with_the_wrong_shape_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            Chart.Heatmap(new IReadOnlyList<double>[] { new double[] { 1, 2 } }, new[] { "a", "b", "c" }, new[] { "x" }, "bad"));
        Assert.Contains("1x3", e.Message);
    }

    [Theory]
    [InlineData(0, 1, new[] { 0, 0.2, 0.4, 0.6, 0.8, 1 })]
    [InlineData(0, 3418, new double[] { 0, 1000, 2000, 3000 })]
    public void Ticks_are_round_numbers_covering_the_range(double min, double max, double[] expected)
    {
        Assert.Equal(expected, SvgRendererTicks(min, max));
    }

    private static double[] SvgRendererTicks(double min, double max) =>
        typeof(Chart).Assembly.GetType("XRay.Charts.SvgRenderer")!
            .GetMethod("Ticks", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic)!
            .Invoke(null, new object[] { min, max }) is IEnumerable<double> ticks ? ticks.ToArray() : Array.Empty<double>();
}
