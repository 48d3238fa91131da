using XRay.Imaging;

namespace XRay.Augmentation;

/// <summary>
/// Keras' ImageDataGenerator random transforms as seeds 001 and 002 use them (zoom_range=0.2, vertical_flip=True...),
/// applied on the fly. Rotation, shift and zoom are folded into one affine warp about the image centre, as Keras'
/// apply_affine_transform does, so the image is interpolated once (bilinear, fill_mode 'nearest' by default).
/// rescale=1./255 is not here: the loader always scales to [0, 1] (see Preprocessing).
/// </summary>
public sealed record KerasAugmentation : IImageTransform
{
    /// <summary>
    /// Seed 002's <c>ImageDataGenerator(rescale=1./255, zoom_range=0.2, vertical_flip=True)</c>, as the blog has it. Its
    /// vertical flip puts the diaphragm at the top of the chest, an X-ray no scanner produces; use it only to reproduce
    /// the seed.
    /// </summary>
    public static KerasAugmentation Seed002 => new() { ZoomRange = 0.2, VerticalFlip = true };

    /// <summary>
    /// Our default for chest X-rays (<c>xray train --augment</c>, notebook 05): seed 002's zoom of ±20 % without its
    /// vertical flip, because anatomy is not up-down symmetric.
    /// </summary>
    public static KerasAugmentation ChestXray => new() { ZoomRange = 0.2 };

    /// <summary>Degrees; the angle is uniform in [-range, range].</summary>
    public double RotationRange { get; init; }

    /// <summary>Fraction of the width; horizontal shift uniform in [-range, range]·width.</summary>
    public double WidthShiftRange { get; init; }

    /// <summary>Fraction of the height.</summary>
    public double HeightShiftRange { get; init; }

    /// <summary>Zoom factors uniform in [1 - range, 1 + range], independently per axis (Keras: &gt; 1 zooms out).</summary>
    public double ZoomRange { get; init; }

    public bool HorizontalFlip { get; init; }

    public bool VerticalFlip { get; init; }

    public BorderMode FillMode { get; init; } = BorderMode.Replicate;

    public double FillValue { get; init; }

    /// <summary>The parameters of one draw, in Keras' order: theta, tx (rows), ty (cols), zx, zy, flips.</summary>
    public sealed record Draw(double Theta, double Tx, double Ty, double Zx, double Zy, bool FlipHorizontal, bool FlipVertical);

    public Draw Sample(int rows, int cols, Random random)
    {
        double Uniform(double range) => range == 0 ? 0 : (random.NextDouble() * 2 - 1) * range;
        var theta = Uniform(RotationRange);
        var tx = Uniform(HeightShiftRange) * rows;
        var ty = Uniform(WidthShiftRange) * cols;
        var (zx, zy) = ZoomRange == 0 ? (1.0, 1.0) : (1 + Uniform(ZoomRange), 1 + Uniform(ZoomRange));
        var flipH = HorizontalFlip && random.NextDouble() < 0.5;
        var flipV = VerticalFlip && random.NextDouble() < 0.5;
        return new Draw(theta, tx, ty, zx, zy, flipH, flipV);
    }

    public PixelImage Apply(PixelImage image, Random random) => Apply(image, Sample(image.Rows, image.Cols, random));

    public PixelImage Apply(PixelImage image, Draw draw)
    {
        var result = image;
        if (draw.Theta != 0 || draw.Tx != 0 || draw.Ty != 0 || draw.Zx != 1 || draw.Zy != 1)
            result = Cv.WarpAffine(image, OutputToInput(draw, image.Rows, image.Cols), image.Cols, image.Rows,
                Interpolation.Linear, FillMode, FillValue);
        if (draw.FlipHorizontal) result = Cv.Flip(result, 1);
        if (draw.FlipVertical) result = Cv.Flip(result, 0);
        return result;
    }

    /// <summary>
    /// Keras' matrix, rotation·shift·zoom about the centre, in (row, col) coordinates as scipy's affine_transform reads
    /// it, re-ordered to OpenCV's (x = col, y = row). It maps output pixels to input pixels.
    /// </summary>
    public static double[] OutputToInput(Draw draw, int rows, int cols)
    {
        var t = draw.Theta * Math.PI / 180;
        double[,] rotation = { { Math.Cos(t), -Math.Sin(t), 0 }, { Math.Sin(t), Math.Cos(t), 0 }, { 0, 0, 1 } };
        double[,] shift = { { 1, 0, draw.Tx }, { 0, 1, draw.Ty }, { 0, 0, 1 } };
        double[,] zoom = { { draw.Zx, 0, 0 }, { 0, draw.Zy, 0 }, { 0, 0, 1 } };
        double ox = rows / 2.0 - 0.5, oy = cols / 2.0 - 0.5;
        double[,] offset = { { 1, 0, ox }, { 0, 1, oy }, { 0, 0, 1 } };
        double[,] reset = { { 1, 0, -ox }, { 0, 1, -oy }, { 0, 0, 1 } };
        var m = Multiply(Multiply(Multiply(Multiply(offset, rotation), shift), zoom), reset);
        // (row, col) → (x, y): swap both the axes and the inputs.
        return new[] { m[1, 1], m[1, 0], m[1, 2], m[0, 1], m[0, 0], m[0, 2] };
    }

    private static double[,] Multiply(double[,] a, double[,] b)
    {
        var r = new double[3, 3];
        for (var i = 0; i < 3; i++)
            for (var j = 0; j < 3; j++)
                for (var k = 0; k < 3; k++)
                    r[i, j] += a[i, k] * b[k, j];
        return r;
    }
}
