namespace XRay.Metrics;

/// <summary>One row of a classification report.</summary>
public sealed record ClassMetrics(string Name, double Precision, double Recall, double F1, long Support);
