using XRay.Charts;
using XRay.Display;
using XRay.Metrics;

namespace XRay.Tests.Display;

public class SideBySideTests
{
    private static Figure Matrix(string title) =>
        Figures.ConfusionMatrix(new ConfusionMatrix(new[] { 0, 1, 1 }, new[] { 0, 1, 0 }, 2), new[] { "a", "b" }, title: title);

    [Fact]
    public void The_html_holds_every_figure_in_one_wrapping_row()
    {
        var html = new SideBySide(new[] { Matrix("CNN"), Matrix("FastTree") }).ToHtml();

        Assert.StartsWith("<div class=\"xray-side-by-side\" style=\"display: flex; flex-wrap: wrap;", html);
        Assert.Equal(2, html.Split("Plotly.newPlot").Length - 1);
        Assert.Contains("\"text\":\"CNN\"", html);
        Assert.Contains("\"text\":\"FastTree\"", html);
    }
}
