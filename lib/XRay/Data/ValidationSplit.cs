using XRay.Runtime;
namespace XRay.Data;

/// <summary>A seeded, stratified hold-out: the same fraction of every class, the same files for the same seed.</summary>
public static class ValidationSplit
{
    public static (IReadOnlyList<ImageSample> Train, IReadOnlyList<ImageSample> Val) Stratified(
        IReadOnlyList<ImageSample> samples, double fraction, long seed)
    {
        if (fraction is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The validation fraction must be between 0 and 1.");
        var toVal = new HashSet<int>();
        foreach (var group in Enumerable.Range(0, samples.Count).GroupBy(i => samples[i].Label))
        {
            var indices = group.ToArray();
            Seed.Random(seed, group.Key).Shuffle(indices);
            // At least one validation image for any class with two or more, so every class is measured.
            var take = (int)Math.Round(indices.Length * fraction, MidpointRounding.AwayFromZero);
            if (take == 0 && indices.Length >= 2) take = 1;
            foreach (var i in indices.Take(take)) toVal.Add(i);
        }
        var train = new List<ImageSample>();
        var val = new List<ImageSample>();
        for (var i = 0; i < samples.Count; i++) (toVal.Contains(i) ? val : train).Add(samples[i]);
        return (train, val);
    }
}
