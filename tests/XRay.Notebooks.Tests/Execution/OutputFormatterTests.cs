using XRay.Charts;
using XRay.Display;
using XRay.Metrics;
using XRay.Notebooks.Execution;
using XRay.Training;

namespace XRay.Notebooks.Tests;

/// <summary>The library's types reach notebooks through .NET Interactive's formatter convention.</summary>
public class OutputFormatterTests
{
    [Fact]
    public void A_figure_shows_as_plotly_html_carrying_plotly_js_only_the_first_time()
    {
        var figure = Figures.Bars(new[] { "NORMAL", "PNEUMONIA" }, new double[] { 1341, 3875 }, "Training images");
        PlotlyJs.EmbedAgain();
        var first = OutputFormatter.Format(figure);
        var second = OutputFormatter.Format(figure);
        Assert.Contains("Plotly.newPlot(", first["text/html"]);
        Assert.Contains(PlotlyJs.ScriptMarker, first["text/html"]);
        Assert.DoesNotContain(PlotlyJs.ScriptMarker, second["text/html"]);
        Assert.Contains("Plotly.newPlot(", second["text/html"]);
        Assert.Equal("Figure: Training images", first["text/plain"]);
        Assert.DoesNotContain("image/svg+xml", first.Keys);
    }

    [Fact]
    public void A_table_shows_a_dataframe_as_html()
    {
        var frame = new Microsoft.Data.Analysis.DataFrame(
            new Microsoft.Data.Analysis.StringDataFrameColumn("model", new[] { "CNN", "LightGbm" }),
            new Microsoft.Data.Analysis.DoubleDataFrameColumn("accuracy", new[] { 0.861, 0.9 }));
        Assert.Contains("<th>model</th><th>accuracy</th>", frame.AsTable().ToHtml());
        var bundle = OutputFormatter.Format(frame.AsTable());
        Assert.Contains("<th>model</th><th>accuracy</th>", bundle["text/html"]);
        Assert.Contains("<td>CNN</td><td>0.861</td>", bundle["text/html"]);
        Assert.Contains("LightGbm", bundle["text/plain"]);
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
        Assert.DoesNotContain("heatmap", reportBundle["text/html"]); // the matrix shows as its own figure, once
        Assert.Equal(report.ToString(), reportBundle["text/plain"]);

        var matrixBundle = OutputFormatter.Format(report.Matrix);
        Assert.Equal(9, matrixBundle["text/html"].Split("\"showarrow\":false").Length - 1); // one annotation per cell

        var history = new History(new[]
        {
            new EpochRecord(1, 0.9, 0.5, 1.0, 0.45, 1e-3, 2.0),
            new EpochRecord(2, 0.6, 0.7, 0.8, 0.6, 1e-3, 2.1),
        });
        var html = OutputFormatter.Format(history)["text/html"];
        Assert.Contains("<th>val_accuracy</th>", html);
        Assert.Equal(2, html.Split("Plotly.newPlot(").Length - 1); // loss and accuracy charts
    }

    [Fact]
    public void Tensors_show_as_pictures_when_image_shaped_and_as_values_otherwise()
    {
        using var image = TorchSharp.torch.rand(1, 1, 32, 32);
        var picture = OutputFormatter.Format(image);
        Assert.Contains("<img src=\"data:image/png;base64,", picture["text/html"]);
        Assert.StartsWith("[1x1x32x32], type = Float32, device = cpu", picture["text/plain"]);

        using var small = TorchSharp.torch.tensor(new float[] { 1.5f, 2.5f });
        var values = OutputFormatter.Format(small);
        Assert.Contains("<pre>", values["text/html"]);
        Assert.Contains("2.5", values["text/plain"]);
    }

    [Fact]
    public void Dataset_stats_show_a_table_and_the_training_chart()
    {
        var root = TestFiles.TempFolder("xray-stats-");
        XRay.Synthetic.SyntheticChestXray.Generate(root, new XRay.Synthetic.SyntheticOptions { PerClass = 2, TestPerClass = 1, Size = 32, Seed = 1 });
        var bundle = OutputFormatter.Format(XRay.Data.DatasetStats.Compute(root));
        Assert.Contains("<th>split</th><th>COVID19</th><th>NORMAL</th><th>PNEUMONIA</th><th>total</th>", bundle["text/html"]);
        Assert.Contains("<td>train</td><td>2</td><td>2</td><td>2</td><td>6</td>", bundle["text/html"]);
        Assert.Contains("Plotly.newPlot(", bundle["text/html"]);
        Assert.Contains("Training Pneumonia Images:  2", bundle["text/plain"]);
    }
}
