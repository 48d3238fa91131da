namespace XRay.Training.Experiments;

/// <summary>The chance row: the accuracy of always answering the most frequent class.</summary>
public static class MajorityClass
{
    /// <summary>The largest class's share of <paramref name="classCounts"/>.</summary>
    public static double Accuracy(IReadOnlyList<int> classCounts)
    {
        var total = classCounts.Sum();
        if (total <= 0) throw new ArgumentException("The class counts hold no images.", nameof(classCounts));
        return (double)classCounts.Max() / total;
    }

    /// <summary>Seed 003's test set: 428 PNEUMONIA and 160 NORMAL images, so always answering PNEUMONIA scores 428/588.</summary>
    public static double Seed003Test => Accuracy(new[] { 160, 428 });
}
