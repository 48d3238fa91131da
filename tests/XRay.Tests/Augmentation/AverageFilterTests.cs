using XRay.Augmentation;
using XRay.Imaging;

namespace XRay.Tests.Augmentation;

public class AverageFilterTests
{
    [Fact]
    public void Three_by_three_average_of_a_single_bright_pixel()
    {
        var img = new PixelImage(3, 3, 1, new byte[] { 0, 0, 0, 0, 90, 0, 0, 0, 0 });
        // Border pixels mirror without repeating the edge (reflect101), see cvTests.
        Assert.Equal(new byte[] { 40, 20, 40, 20, 10, 20, 40, 20, 40 }, AverageFilter.Apply(img).Data);
    }
}
