namespace XRay.Data;

/// <summary>
/// Draws an epoch of n indices with replacement, each class equally likely (PyTorch's WeightedRandomSampler with
/// inverse-frequency weights): rare classes repeat, common ones are sub-sampled.
/// </summary>
public static class BalancedSampler
{
    /// <summary>
    /// Exactly <paramref name="perClass"/> indices of each class present, as seed 000 builds its arrays: without
    /// replacement while a class has enough images, and every image once plus a draw with replacement for the remainder
    /// when it has fewer. Classes in label order, shuffled within each class.
    /// </summary>
    public static int[] EqualPerClass(IReadOnlyList<int> labels, int classCount, int perClass, Random random)
    {
        if (perClass < 0) throw new ArgumentOutOfRangeException(nameof(perClass), perClass, "The count per class must be zero or more.");
        var result = new List<int>();
        foreach (var members in ByClass(labels, classCount).Where(c => c.Count > 0))
        {
            var shuffled = members.ToArray();
            random.Shuffle(shuffled);
            result.AddRange(shuffled.Take(perClass));
            for (var i = shuffled.Length; i < perClass; i++) result.Add(members[random.Next(members.Count)]);
        }
        return result.ToArray();
    }

    private static List<int>[] ByClass(IReadOnlyList<int> labels, int classCount)
    {
        var byClass = Enumerable.Range(0, classCount).Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < labels.Count; i++) byClass[labels[i]].Add(i);
        return byClass;
    }

    /// <summary>
    /// An epoch's <paramref name="count"/> draws, each from a class chosen uniformly: equal per class on average, not
    /// exactly (300 draws over three classes give counts like 109/108/83). Use <see cref="EqualPerClass"/> for exact counts.
    /// </summary>
    public static int[] Sample(IReadOnlyList<int> labels, int classCount, int count, Random random)
    {
        var present = ByClass(labels, classCount).Where(c => c.Count > 0).ToArray();
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
