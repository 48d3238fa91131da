namespace XRay.Models;

/// <summary>
/// A Grad-CAM heatmap for one image and class: <see cref="Heat"/> holds Height x Width values (row-major) in [0, 1],
/// 1 where the class's evidence was strongest, at the model input's size.
/// </summary>
public sealed record GradCamMap(int ClassIndex, float[] Heat, int Height, int Width)
{
    public float this[int row, int col] => Heat[row * Width + col];

    /// <summary>The (row, column) of the hottest pixel (the first, if several tie).</summary>
    public (int Row, int Col) Peak()
    {
        var best = Inference.ArgMax(Heat);
        return (best / Width, best % Width);
    }
}
