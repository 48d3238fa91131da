namespace XRay.Data;

/// <summary>
/// Draws an epoch of n indices with replacement, each class equally likely (PyTorch's WeightedRandomSampler with
/// inverse-frequency weights): rare classes repeat, common ones are sub-sampled.
/// </summary>
public static class BalancedSampler
{
    public static int[] Sample(IReadOnlyList<int> labels, int classCount, int count, Random random)
    {
        var byClass = Enumerable.Range(0, classCount).Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < labels.Count; i++) byClass[labels[i]].Add(i);
        var present = byClass.Where(c => c.Count > 0).ToArray();
        if (present.Length == 0) return Array.Empty<int>();
        var result = new int[count];
        for (var i = 0; i < count; i++)
        {
            var members = present[random.Next(present.Length)];
            result[i] = members[random.Next(members.Count)];
        }
        return result;
    }
}
