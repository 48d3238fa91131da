namespace XRay.Data;

/// <summary>
/// Seeds derived from (seed, epoch) that are the same in every process. HashCode.Combine is not: .NET
/// randomizes it per process, so a resumed run would shuffle differently from an uninterrupted one.
/// </summary>
public static class Seeds
{
    /// <summary>SplitMix64 of the pair, folded to an int for System.Random.</summary>
    public static int ForEpoch(long seed, int epoch)
    {
        unchecked
        {
            var z = (ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)epoch + 0x632BE59BD9B4E019UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (int)(z ^ (z >> 32)) & int.MaxValue;
        }
    }
}
