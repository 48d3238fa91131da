using System.Xml.Linq;
using XRay.Charts;
using XRay.Display;
using XRay.Metrics;

namespace XRay.Tests.Display;

public class SideBySideTests
{
    private static Chart Matrix(string title) =>
        DisplayFormatters.ConfusionMatrixChart(new ConfusionMatrix(new[] { 0, 1, 1 }, new[] { 0, 1, 0 }, 2), new[] { "a", "b" }) with { Title = title };

    [Fact]
    public void The_svg_puts_each_chart_beside_the_previous_one_and_is_one_valid_document()
    {
        var charts = new[] { Matrix("CNN"), Matrix("LightGbm"), Matrix("Linear") };

        var svg = XDocument.Parse(new SideBySide(charts).ToSvg());

        XNamespace ns = "http://www.w3.org/2000/svg";
        var nested = svg.Root!.Elements(ns + "svg").ToList();
        Assert.Equal(3, nested.Count);
        Assert.Equal(new[] { 0, charts[0].Width, charts[0].Width + charts[1].Width }, nested.Select(e => (int)e.Attribute("x")!));
        Assert.Equal(charts.Sum(c => c.Width), (int)svg.Root.Attribute("width")!);
        Assert.Equal(new[] { "CNN", "LightGbm", "Linear" }, nested.Select(e => e.Descendants(ns + "text").First(t => t.Value is "CNN" or "LightGbm" or "Linear").Value));
    }

    [Fact]
    public void The_html_holds_every_chart()
    {
        var html = new SideBySide(new[] { Matrix("CNN"), Matrix("FastTree") }).ToHtml();

        Assert.Equal(2, html.Split("Plotly.newPlot").Length - 1);
        Assert.Contains("\"CNN\"", html);
        Assert.Contains("\"FastTree\"", html);
    }
}
