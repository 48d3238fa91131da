namespace XRay.Metrics;

/// <summary>
/// One bar of a reliability diagram: the images whose top-label confidence fell in (<see cref="Lower"/>, <see cref="Upper"/>],
/// how often the model was right on them and how sure it said it was. An empty bin has NaN accuracy and confidence.
/// </summary>
public sealed record ReliabilityBin(double Lower, double Upper, int Count, double Accuracy, double Confidence)
{
    /// <summary>|accuracy − confidence|: the bin's calibration gap (0 for an empty bin, which weighs nothing).</summary>
    public double Gap => Count == 0 ? 0 : Math.Abs(Accuracy - Confidence);
}
