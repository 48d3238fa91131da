using System.Text.Json.Serialization;

namespace XRay.Metrics;

/// <summary>What `xray calibrate --json` prints: the fitted T and the validation NLL and ECE before and after it.</summary>
public sealed record TemperatureFit(
    [property: JsonPropertyName("temperature")] double Temperature,
    [property: JsonPropertyName("nll_before")] double NllBefore,
    [property: JsonPropertyName("nll_after")] double NllAfter,
    [property: JsonPropertyName("ece_before")] double EceBefore,
    [property: JsonPropertyName("ece_after")] double EceAfter,
    [property: JsonIgnore] int Images);
