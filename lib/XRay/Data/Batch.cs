using XRay.Runtime;
using static TorchSharp.torch;

namespace XRay.Data;

/// <summary>
/// One mini-batch: images (B, C, H, W) float32 scaled to [0, 1] on the loader's device, labels int64 (B),
/// and the file each sample came from (empty strings for in-memory data). Disposing frees both tensors.
/// </summary>
public sealed class Batch : IDisposable
{
    public Batch(Tensor images, Tensor labels, IReadOnlyList<string>? paths = null)
    {
        Images = images;
        Labels = labels;
        Count = checked((int)images.shape[0]);
        if (labels.shape.Length != 1 || labels.shape[0] != Count)
            throw new ArgumentException($"A batch of {Count} images needs {Count} labels, got shape [{string.Join(", ", labels.shape)}].");
        Paths = paths ?? Enumerable.Repeat(string.Empty, Count).ToArray();
        if (Paths.Count != Count) throw new ArgumentException($"A batch of {Count} images needs {Count} paths, got {Paths.Count}.");
    }

    public Tensor Images { get; }

    public Tensor Labels { get; }

    public IReadOnlyList<string> Paths { get; }

    public int Count { get; }

    /// <summary>The batch on <paramref name="device"/>, images laid out as the model expects. Only the batch itself moves.</summary>
    internal (Tensor Images, Tensor Labels) ToDevice(Device device, bool channelsLast)
    {
        var y = Labels.device == device ? Labels : Labels.to(device);
        return (ChannelsLast.ToDevice(Images, device, channelsLast), y);
    }

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
