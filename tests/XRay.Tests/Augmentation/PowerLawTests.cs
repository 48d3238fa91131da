using XRay.Augmentation;
using XRay.Imaging;

namespace XRay.Tests.Augmentation;

public class PowerLawTests
{
    [Fact]
    public void Gamma_04_and_055_with_c_10_match_hand_computed_pixels()
    {
        var img = new PixelImage(1, 4, 1, new byte[] { 0, 1, 32, 255 });
        // 10·32^0.4 = 10·4 = 40; 10·255^0.4 = 91.75 -> 92.
        Assert.Equal(new byte[] { 0, 10, 40, 92 }, PowerLaw.Apply(img, 0.4).Data);
        // 10·32^0.55 = 67.27 -> 67; 10·255^0.55 = 210.66 -> 211 (below 255: no overflow for the blog's gammas).
        Assert.Equal(new byte[] { 0, 10, 67, 211 }, new PowerLaw(0.55).Apply(img, new Random(0)).Data);
    }
}
