using System.Xml.Linq;
using XRay.Display;
using XRay.Imaging;
using static TorchSharp.torch;

namespace XRay.Tests.Display;

public class PictureTests
{
    [Fact]
    public void A_float_map_is_stretched_to_0_255_and_round_trips_through_png()
    {
        using var map = tensor(new float[] { -1, 0, 1, 3 }, new long[] { 2, 2 });
        var picture = Picture.From(map, "relu input");
        var decoded = Cv.ImDecode(picture.Png, channels: 1);
        // (v - min) * 255 / (max - min): -1 → 0, 0 → 63.75 → 64, 1 → 127.5 → 128, 3 → 255
        Assert.Equal(new byte[] { 0, 64, 128, 255 }, decoded.Data);
        Assert.Equal((2, 2), (picture.Width, picture.Height));
        Assert.Contains("<figcaption>relu input</figcaption>", picture.ToHtml());
    }

    [Fact]
    public void A_uint8_rgb_image_keeps_its_pixels_and_a_bad_shape_is_refused()
    {
        using var rgb = tensor(new byte[] { 10, 20, 30, 40, 50, 60 }, new long[] { 1, 3, 1, 2 });
        var decoded = Cv.ImDecode(Picture.From(rgb).Png, channels: 3);
        Assert.Equal(new byte[] { 10, 30, 50, 20, 40, 60 }, decoded.Data); // CHW → interleaved HWC
        using var wrong = zeros(2, 4, 4);
        Assert.Throws<ArgumentException>(() => Picture.From(wrong));
    }

    [Fact]
    public void Feature_maps_and_filters_become_grids_with_an_svg_view()
    {
        using var activations = randn(1, 5, 6, 6);
        var grid = ImageGrid.FromFeatureMaps(activations, "conv1", maxChannels: 4);
        Assert.Equal(4, grid.Pictures.Count);
        var svg = XDocument.Parse(grid.ToSvg());
        Assert.Equal(4, svg.Descendants().Count(e => e.Name.LocalName == "image"));
        Assert.Contains("channel 3", svg.Descendants().Select(e => e.Value));

        using var weight = randn(8, 3, 3, 3);
        var filters = ImageGrid.FromFilters(weight, "learned filters");
        Assert.Equal(8, filters.Pictures.Count);
        Assert.Equal(8, filters.ToHtml().Split("<img ").Length - 1);
    }
}
