using XRay.Augmentation;
using XRay.Imaging;

namespace XRay.Tests.Augmentation;

public class KerasAugmentationTests
{
    private static readonly PixelImage Grid = new(3, 3, 1, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 });
    private static readonly KerasAugmentation Keras = new();

    [Fact]
    public void Rotation_by_90_degrees_follows_keras_matrix()
    {
        // Keras (row, col): r_in = 2 - c_out, c_in = r_out about the centre: out[r][c] = in[2 - c][r].
        var rotated = Keras.Apply(Grid, new KerasAugmentation.Draw(90, 0, 0, 1, 1, false, false));
        Assert.Equal(new byte[] { 7, 4, 1, 8, 5, 2, 9, 6, 3 }, rotated.Data);
    }

    [Fact]
    public void Shift_fills_with_the_nearest_pixel_and_flips_mirror()
    {
        // tx = 1 row: out row r reads in row r + 1; the last row repeats (fill_mode 'nearest').
        Assert.Equal(new byte[] { 4, 5, 6, 7, 8, 9, 7, 8, 9 },
            Keras.Apply(Grid, new KerasAugmentation.Draw(0, 1, 0, 1, 1, false, false)).Data);
        Assert.Equal(new byte[] { 3, 2, 1, 6, 5, 4, 9, 8, 7 },
            Keras.Apply(Grid, new KerasAugmentation.Draw(0, 0, 0, 1, 1, true, false)).Data);
        Assert.Equal(new byte[] { 7, 8, 9, 4, 5, 6, 1, 2, 3 },
            Keras.Apply(Grid, new KerasAugmentation.Draw(0, 0, 0, 1, 1, false, true)).Data);
    }

    [Fact]
    public void Draws_are_seeded_and_within_the_ranges()
    {
        var keras = new KerasAugmentation { ZoomRange = 0.2, RotationRange = 15, WidthShiftRange = 0.1, VerticalFlip = true };
        var flips = 0;
        for (var i = 0; i < 200; i++)
        {
            var d = keras.Sample(100, 200, new Random(i));
            Assert.Equal(d, keras.Sample(100, 200, new Random(i)));
            Assert.InRange(d.Zx, 0.8, 1.2);
            Assert.InRange(d.Zy, 0.8, 1.2);
            Assert.InRange(d.Theta, -15, 15);
            Assert.InRange(d.Ty, -20, 20);
            Assert.Equal(0, d.Tx);
            Assert.False(d.FlipHorizontal);
            if (d.FlipVertical) flips++;
        }
        Assert.InRange(flips, 70, 130);
        var img = new PixelImage(16, 16, 1, Enumerable.Range(0, 256).Select(i => (byte)i).ToArray());
        Assert.Equal(keras.Apply(img, new Random(5)).Data, keras.Apply(img, new Random(5)).Data);
    }

    [Fact]
    public void Our_chest_xray_default_never_flips_while_seed_002s_flips_half_the_images_upside_down()
    {
        var (ours, seed002) = (KerasAugmentation.ChestXray, KerasAugmentation.Seed002);
        Assert.Equal(0.2, seed002.ZoomRange);
        Assert.Equal(seed002.ZoomRange, ours.ZoomRange);
        var oursFlipped = Enumerable.Range(0, 200).Count(i => ours.Sample(64, 64, new Random(i)) is { FlipVertical: true } or { FlipHorizontal: true });
        var seedFlipped = Enumerable.Range(0, 200).Count(i => seed002.Sample(64, 64, new Random(i)).FlipVertical);
        Assert.Equal(0, oursFlipped);
        Assert.InRange(seedFlipped, 70, 130);
    }
}
