namespace XRay.Data;

/// <summary>Weights that make every class count the same in the loss, for the imbalanced chest X-ray sets.</summary>
public static class ClassWeights
{
    /// <summary>
    /// n / (k * n_c), scikit-learn's class_weight='balanced': 1 for a balanced set, above 1 for rare classes.
    /// A class with no samples gets 0 (it cannot contribute a loss anyway).
    /// </summary>
    public static double[] InverseFrequency(IReadOnlyList<int> classCounts)
    {
        var total = classCounts.Sum();
        var k = classCounts.Count;
        return classCounts.Select(c => c == 0 ? 0.0 : (double)total / (k * c)).ToArray();
    }
}
