namespace XRay.Training.Experiments;

/// <summary>Mean and sample standard deviation (n − 1, numpy's std(ddof=1)); Sd is NaN for fewer than two values.</summary>
public readonly record struct MeanSd(double Mean, double Sd, int Count)
{
    public static MeanSd Of(IEnumerable<double> values)
    {
        var v = values.ToArray();
        if (v.Length == 0) throw new ArgumentException("Mean and sd need at least one value.", nameof(values));
        var mean = v.Average();
        var sd = v.Length < 2 ? double.NaN : Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
        return new MeanSd(mean, sd, v.Length);
    }

    /// <summary>"0.912 ± 0.031 (n=3)"; "0.912 (n=1)" when there is no sd.</summary>
    public override string ToString() => double.IsNaN(Sd)
        ? FormattableString.Invariant($"{Mean:0.000} (n={Count})")
        : FormattableString.Invariant($"{Mean:0.000} ± {Sd:0.000} (n={Count})");
}
