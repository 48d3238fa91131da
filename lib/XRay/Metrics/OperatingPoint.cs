namespace XRay.Metrics;

/// <summary>
/// One threshold on the positive class's probability: call an image positive when its probability is at least
/// <see cref="Threshold"/>, and this is how often the disease is caught (sensitivity), how often a healthy image is
/// cleared (specificity), and how often an alarm is real (precision).
/// </summary>
public sealed record OperatingPoint(double Threshold, double Sensitivity, double Specificity, double Precision);
