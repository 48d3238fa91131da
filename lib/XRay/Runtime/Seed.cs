namespace XRay.Runtime;

/// <summary>
/// Derives independent, reproducible seeds from a base seed and indices (epoch, sample, image) with SplitMix64.
/// HashCode.Combine would not do: it is randomised per process, so runs would not repeat.
/// </summary>
public static class Seed
{
    public static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    public static ulong Derive(long seed, long a, long b = 0, long c = 0) =>
        Mix(Mix(Mix(Mix((ulong)seed) ^ (ulong)a) ^ (ulong)b) ^ (ulong)c);

    /// <summary>A System.Random whose sequence depends only on the arguments (seeded Random is stable across runs).</summary>
    public static Random Random(long seed, long a = 0, long b = 0, long c = 0) =>
        new((int)(Derive(seed, a, b, c) & 0x7FFFFFFF));
}
