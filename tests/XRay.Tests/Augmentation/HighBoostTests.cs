using XRay.Augmentation;
using XRay.Imaging;

namespace XRay.Tests.Augmentation;

public class HighBoostTests
{
    private static readonly PixelImage Spot = new(3, 3, 1, new byte[] { 0, 0, 0, 0, 90, 0, 0, 0, 0 });

    [Fact]
    public void Saturating_arithmetic_clips_to_0_and_255()
    {
        // smooth = [40 20 40; 20 10 20; 40 20 40]; img + 3(img - smooth): corners -120 -> 0, centre 90 + 240 = 330 -> 255.
        Assert.Equal(new byte[] { 0, 0, 0, 0, 255, 0, 0, 0, 0 }, HighBoost.Apply(Spot, 3).Data);
    }

    [Fact]
    public void WrapAround_reproduces_the_blogs_numpy_uint8_arrays()
    {
        // numpy: (0 - 40) % 256 = 216, 3·216 = 648, 648 % 256 = 136; edges (0 - 20) -> 236, 708 % 256 = 196;
        // centre 90 + 3·80 = 330 % 256 = 74.
        Assert.Equal(new byte[] { 136, 196, 136, 196, 74, 196, 136, 196, 136 },
            new HighBoost(3, Arithmetic: PixelArithmetic.WrapAround).Apply(Spot, new Random(0)).Data);
    }
}
