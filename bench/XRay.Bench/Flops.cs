namespace XRay.Bench;

/// <summary>
/// Seed 002's CNN's multiply-adds, counted analytically (2 FLOPs each) from BlogCnn's layers: convolutions and dense
/// layers only, since ReLU, pooling and dropout are memory-bound and negligible in FLOPs. A training step costs about
/// three forwards: the forward, the gradient for the inputs and the gradient for the weights.
/// </summary>
public static class Flops
{
    public const int Filters = 32;
    public const int Kernel = 3;
    public const int Hidden = 128;

    /// <summary>Forward FLOPs for one image of channels x size x size, with <paramref name="outputs"/> output units.</summary>
    public static double BlogCnnForward(int channels, int size, int outputs = 1)
    {
        double flops = 0;
        var (inChannels, side) = (channels, size);
        for (var block = 0; block < 3; block++)
        {
            var conv = side - Kernel + 1;                            // valid 3x3 convolution
            flops += 2.0 * inChannels * Kernel * Kernel * Filters * conv * conv;
            (inChannels, side) = (Filters, conv / 2);                // 2x2 max-pool, floor
        }
        return flops + 2.0 * FlattenedFeatures(size) * Hidden + 2.0 * Hidden * outputs;
    }

    /// <summary>Inputs of the first dense layer: 32 maps of the side left after three conv + pool blocks (150 -> 17).</summary>
    public static long FlattenedFeatures(int size)
    {
        var side = size;
        for (var block = 0; block < 3; block++) side = (side - Kernel + 1) / 2;
        return (long)Filters * side * side;
    }

    /// <summary>Forward + backward: 3x the forward.</summary>
    public static double BlogCnnTrainStep(int channels, int size, int outputs = 1) => 3 * BlogCnnForward(channels, size, outputs);
}
