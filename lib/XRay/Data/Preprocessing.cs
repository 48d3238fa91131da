namespace XRay.Data;

/// <summary>Grayscale gives 1 channel, Rgb 3.</summary>
public enum ColorMode
{
    Grayscale = 1,
    Rgb = 3,
}

/// <summary>
/// How a file becomes a model input: decode in <paramref name="Color"/>, resize to Height x Width, scale to [0, 1]
/// (the blogs' rescale=1/255), then (x - Mean) / Std, the same for every channel, or with
/// <see cref="ChannelMean"/>/<see cref="ChannelStd"/> one value per channel (ImageNet's, which pretrained weights
/// expect). Checkpoints record it, so predict, evaluate, serve and Grad-CAM reproduce it.
/// </summary>
public sealed record Preprocessing(int Height = 224, int Width = 224, ColorMode Color = ColorMode.Grayscale,
    double Mean = 0.0, double Std = 1.0)
{
    public int Channels => (int)Color;

    /// <summary>Per-channel means (one per channel, RGB order) replacing <see cref="Mean"/>; null: Mean for all.</summary>
    public IReadOnlyList<double>? ChannelMean { get; init; }

    /// <summary>Per-channel standard deviations replacing <see cref="Std"/>; null: Std for all.</summary>
    public IReadOnlyList<double>? ChannelStd { get; init; }

    /// <summary>Which pretrained weights this input is made for (e.g. mobilenet-v2.IMAGENET1K_V2); null: none.</summary>
    public string? Weights { get; init; }

    /// <summary>The mean of each channel, as a (1, C, 1, 1) shape can broadcast it.</summary>
    public double[] Means => Expand(ChannelMean, Mean, nameof(ChannelMean));

    public double[] Stds => Expand(ChannelStd, Std, nameof(ChannelStd));

    private double[] Expand(IReadOnlyList<double>? perChannel, double all, string name)
    {
        if (perChannel is null) return Enumerable.Repeat(all, Channels).ToArray();
        if (perChannel.Count != Channels)
            throw new ArgumentException($"Preprocessing.{name} has {perChannel.Count} values for {Channels} channel(s).");
        return perChannel.ToArray();
    }

    /// <summary>(C, H, W) of one input.</summary>
    public long[] InputShape => new long[] { Channels, Height, Width };
}
