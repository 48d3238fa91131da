using XRay.Data;
using static TorchSharp.torch;

namespace XRay.Tests;

/// <summary>
/// Small procedural image sets for training tests: 1xSxS images whose class is a moderate visual pattern (0 horizontal
/// stripes, 1 vertical stripes, 2 a bright centre blob) at a random phase and contrast, plus Gaussian noise.
/// </summary>
internal static class PatternData
{
    public static TensorBatchSource Create(int count, int size, int classes, int seed, int batchSize = 32, bool shuffle = true,
        double noise = 0.25)
    {
        var random = new Random(seed);
        var pixels = new float[count * size * size];
        var labels = new long[count];
        for (var n = 0; n < count; n++)
        {
            var label = n % classes;
            labels[n] = label;
            var phase = random.NextDouble() * 2 * Math.PI;
            var contrast = 0.2 + 0.2 * random.NextDouble();
            for (var y = 0; y < size; y++)
                for (var x = 0; x < size; x++)
                {
                    double signal = label switch
                    {
                        0 => Math.Sin(y * 0.8 + phase),
                        1 => Math.Sin(x * 0.8 + phase),
                        _ => Math.Exp(-((x - size / 2.0) * (x - size / 2.0) + (y - size / 2.0) * (y - size / 2.0)) / (size * size / 16.0)) * 2 - 1,
                    };
                    var gauss = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                    pixels[(n * size + y) * size + x] = (float)Math.Clamp(0.5 + contrast * signal + noise * gauss, 0, 1);
                }
        }
        using var images = tensor(pixels, new long[] { count, 1, size, size });
        using var y_ = tensor(labels, new long[] { count });
        var names = new[] { "HSTRIPES", "VSTRIPES", "BLOB" }.Take(classes).ToArray();
        return new TensorBatchSource(images, y_, names, batchSize, shuffle, seed);
    }
}
