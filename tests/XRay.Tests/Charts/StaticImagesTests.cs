using System.Xml.Linq;
using XRay.Charts;
using XRay.TestSupport;

namespace XRay.Tests.Charts;

/// <summary>Plotly.NET.ImageExport with Debian's Chromium and plotly.js inline: a static image of a figure, offline.</summary>
[Trait("Category", TestCategories.Browser)] // ImageExport drives Chromium through PuppeteerSharp
public class StaticImagesTests
{
    [Fact]
    public async Task A_confusion_matrix_becomes_an_svg_with_its_nine_cell_texts_and_a_png()
    {
        var matrix = FiguresTests.ConfusionMatrix();
        var svg = XDocument.Parse(await StaticImages.SvgAsync(matrix));
        XNamespace ns = "http://www.w3.org/2000/svg";
        var annotations = svg.Descendants(ns + "g").Where(g => ((string?)g.Attribute("class"))?.Split(' ').Contains("annotation") == true).ToList();
        Assert.Equal(9, annotations.Count);
        Assert.Contains("535", annotations.Select(a => a.Value));
        Assert.Equal(matrix.Width, (int)svg.Root!.Attribute("width")!);

        var path = Path.Combine(TestFiles.TempFolder(), "loss.png");
        await StaticImages.SaveAsync(new[] { (Figures.Bars(new[] { "a", "b" }, new double[] { 1, 2 }, "Bars"), path) });
        var png = await File.ReadAllBytesAsync(path);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
    }
}
