using System.Xml.Linq;
using XRay.Charts;
using XRay.Metrics;
using XRay.Notebooks.Execution;
using XRay.Training;

namespace XRay.Notebooks.Tests;

/// <summary>The library's types reach notebooks through .NET Interactive's formatter convention.</summary>
public class OutputFormatterTests
{
    [Fact]
    public void A_chart_shows_as_plotly_html_and_as_a_static_svg()
    {
        var chart = Chart.Bars(new[] { "NORMAL", "PNEUMONIA" }, new double[] { 1341, 3875 }, "Training images");
        var bundle = OutputFormatter.Format(chart);
        Assert.Contains("Plotly.newPlot(", bundle["text/html"]);
        Assert.Equal("svg", XDocument.Parse(bundle["image/svg+xml"]).Root!.Name.LocalName);
        Assert.Equal("Chart: Training images (1 traces)", bundle["text/plain"]);
    }

    [Fact]
    public void A_plain_object_gets_no_image()
    {
        var bundle = OutputFormatter.Format(new { Name = "x" });
        Assert.DoesNotContain("image/svg+xml", bundle.Keys);
        Assert.Contains("text/html", bundle.Keys);
    }

    [Fact]
    public void Report_matrix_and_history_have_their_own_views()
    {
        var truth = new[] { 0, 0, 1, 1, 2, 2 };
        var predicted = new[] { 0, 1, 1, 1, 2, 0 };
        var report = ClassificationReport.Create(truth, predicted, new[] { "NORMAL", "COVID19", "PNEUMONIA" });
        var reportBundle = OutputFormatter.Format(report);
        Assert.Contains("precision", reportBundle["text/html"]);
        Assert.Contains("\"type\":\"heatmap\"", reportBundle["text/html"]);
        Assert.Equal(report.ToString(), reportBundle["text/plain"]);

        var matrixBundle = OutputFormatter.Format(report.Matrix);
        var svg = XDocument.Parse(matrixBundle["image/svg+xml"]);
        Assert.Equal(9, svg.Descendants().Count(e => (string?)e.Attribute("class") == "cell"));

        var history = new History(new[]
        {
            new EpochRecord(1, 0.9, 0.5, 1.0, 0.45, 1e-3, 2.0),
            new EpochRecord(2, 0.6, 0.7, 0.8, 0.6, 1e-3, 2.1),
        });
        var html = OutputFormatter.Format(history)["text/html"];
        Assert.Contains("<th>val_accuracy</th>", html);
        Assert.Equal(2, html.Split("Plotly.newPlot(").Length - 1); // loss and accuracy charts
    }
}
