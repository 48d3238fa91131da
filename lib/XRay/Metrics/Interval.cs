using System.Text.Json;
using System.Text.Json.Serialization;

namespace XRay.Metrics;

/// <summary>A confidence interval [<see cref="Lower"/>, <see cref="Upper"/>]; in JSON the pair [lo, hi].</summary>
[JsonConverter(typeof(IntervalJsonConverter))]
public readonly record struct Interval(double Lower, double Upper)
{
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"[{Lower:0.000}, {Upper:0.000}]");
}

internal sealed class IntervalJsonConverter : JsonConverter<Interval>
{
    public override Interval Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var pair = JsonSerializer.Deserialize<double?[]>(ref reader, options);
        return pair is { Length: 2 } ? new Interval(pair[0] ?? double.NaN, pair[1] ?? double.NaN) : throw new JsonException("An interval is [lo, hi].");
    }

    public override void Write(Utf8JsonWriter writer, Interval value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var v in new[] { value.Lower, value.Upper })
            if (double.IsNaN(v)) writer.WriteNullValue(); else writer.WriteNumberValue(v); // JSON has no NaN: undefined is null
        writer.WriteEndArray();
    }
}
