namespace XRay.Data;

/// <summary>Grayscale gives 1 channel, Rgb 3.</summary>
public enum ColorMode
{
    Grayscale = 1,
    Rgb = 3,
}

/// <summary>
/// How a file becomes a model input: decode in <paramref name="Color"/>, resize to Height x Width, scale to [0, 1]
/// (the blogs' rescale=1/255), then (x - Mean) / Std per channel.
/// </summary>
public sealed record Preprocessing(int Height = 224, int Width = 224, ColorMode Color = ColorMode.Grayscale,
    double Mean = 0.0, double Std = 1.0)
{
    public int Channels => (int)Color;

    /// <summary>(C, H, W) of one input.</summary>
    public long[] InputShape => new long[] { Channels, Height, Width };
}
