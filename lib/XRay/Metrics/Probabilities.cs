namespace XRay.Metrics;

/// <summary>Small helpers over rows of class probabilities, shared by the calibration metrics and temperature scaling.</summary>
internal static class Probabilities
{
    public static double[][] ToDouble(IReadOnlyList<float[]> rows) =>
        rows.Select(r => Array.ConvertAll(r, v => (double)v)).ToArray();

    /// <summary>The first maximum, as numpy's argmax (and <see cref="Models.Inference.ArgMax"/> for floats).</summary>
    public static int ArgMax(double[] row)
    {
        var best = 0;
        for (var i = 1; i < row.Length; i++) if (row[i] > row[best]) best = i;
        return best;
    }

    public static void Check(IReadOnlyList<int> labels, IReadOnlyList<double[]> probabilities)
    {
        if (labels.Count != probabilities.Count)
            throw new ArgumentException($"{labels.Count} labels but {probabilities.Count} rows of probabilities.");
        for (var i = 0; i < labels.Count; i++)
            if ((uint)labels[i] >= (uint)probabilities[i].Length)
                throw new ArgumentException($"Sample {i} has label {labels[i]} but {probabilities[i].Length} class probabilities.");
    }
}
