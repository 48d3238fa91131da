using XRay.Imaging;

namespace XRay.Tests.Imaging;

public class PixelImageTests
{
    [Fact]
    public void Chw_planes_interleave_into_hwc_and_back()
    {
        // 1x2 RGB: planes R = {1, 2}, G = {3, 4}, B = {5, 6}.
        byte[] chw = [1, 2, 3, 4, 5, 6];
        var mat = PixelImage.FromChw(chw, 3, 1, 2);
        Assert.Equal(new byte[] { 1, 3, 5, 2, 4, 6 }, mat.Data);
        Assert.Equal((byte)4, mat[0, 1, 1]);
        var back = new byte[6];
        mat.CopyToChw(back);
        Assert.Equal(chw, back);
    }

    [Fact]
    public void Gray_chw_is_the_same_bytes_and_sizes_must_agree()
    {
        var mat = PixelImage.FromChw(new byte[] { 7, 8, 9, 10 }, 1, 2, 2);
        Assert.Equal(new byte[] { 7, 8, 9, 10 }, mat.Data);
        Assert.Throws<ArgumentException>(() => PixelImage.FromChw(new byte[5], 1, 2, 2));
        Assert.Throws<ArgumentException>(() => mat.CopyToChw(new byte[3]));
    }
}
