using System.Text.Json.Serialization;

namespace XRay.Metrics;

/// <summary>
/// Percentile-bootstrap intervals of the test metrics: accuracy, macro F1 and each class's recall (its sensitivity). A
/// class's recall interval leaves out the resamples that drew none of its images (recall is undefined there); a class
/// no resample drew has [NaN, NaN].
/// </summary>
public sealed record ConfidenceIntervals(
    [property: JsonPropertyName("accuracy")] Interval Accuracy,
    [property: JsonPropertyName("macro_f1")] Interval MacroF1,
    [property: JsonPropertyName("recall")] IReadOnlyDictionary<string, Interval> Recall,
    [property: JsonIgnore] BootstrapOptions Options);
