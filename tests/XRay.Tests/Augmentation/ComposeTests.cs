using XRay.Augmentation;
using XRay.Imaging;

namespace XRay.Tests.Augmentation;

public class ComposeTests
{
    [Fact]
    public void Steps_run_in_order()
    {
        var img = new PixelImage(3, 3, 1, new byte[] { 0, 0, 0, 0, 90, 0, 0, 0, 0 });
        var composed = new Compose(new AverageFilter(), new PowerLaw(0.4)).Apply(img, new Random(0));
        Assert.Equal(PowerLaw.Apply(AverageFilter.Apply(img), 0.4).Data, composed.Data);
        // 10·40^0.4 = 43.7 -> 44 in the corners, 10·10^0.4 = 25.1 -> 25 in the centre.
        Assert.Equal(44, composed[0, 0]);
        Assert.Equal(25, composed[1, 1]);
    }
}
