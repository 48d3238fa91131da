using System.Text.Json;
using System.Text.Json.Serialization;

namespace XRay;

/// <summary>One JSON style for checkpoints, history.json and run logs: camelCase-free names as declared, enums as
/// strings, and NaN/Infinity allowed (a diverged loss must still be recorded). Public for XRay.Classic's classifier.json.</summary>
public static class JsonDefaults
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = false,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public static JsonSerializerOptions Indented { get; } = new(Options) { WriteIndented = true };
}
