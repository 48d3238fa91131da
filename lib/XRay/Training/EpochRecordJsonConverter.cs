using System.Text.Json;
using System.Text.Json.Serialization;

namespace XRay.Training;

/// <summary>
/// An epoch in a checkpoint's history: {"Epoch": 3, "Logs": {"loss": 0.41, ...}, "Seconds": 2.1}. Checkpoints written
/// before the logs became a dictionary hold one property per metric ("Loss", "ValAccuracy", ... null when absent);
/// those read back as the same logs, in the standard order.
/// </summary>
internal sealed class EpochRecordJsonConverter : JsonConverter<EpochRecord>
{
    // The typed properties of the first format, by the log name each became.
    private static readonly Dictionary<string, string> Legacy = new(StringComparer.Ordinal)
    {
        ["Loss"] = "loss", ["Accuracy"] = "accuracy", ["Precision"] = "precision", ["Recall"] = "recall", ["F1"] = "f1",
        ["ValLoss"] = "val_loss", ["ValAccuracy"] = "val_accuracy", ["ValPrecision"] = "val_precision", ["ValRecall"] = "val_recall",
        ["ValF1"] = "val_f1", ["LearningRate"] = "lr",
    };

    public override EpochRecord Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("An epoch record must be a JSON object.");
        var epoch = 0;
        var seconds = 0.0;
        var logs = new List<KeyValuePair<string, double>>();
        var legacy = new Dictionary<string, double>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var property = reader.GetString()!;
            reader.Read();
            switch (property)
            {
                case "Epoch":
                    epoch = reader.GetInt32();
                    break;
                case "Seconds":
                    seconds = JsonSerializer.Deserialize<double>(ref reader, options);
                    break;
                case "Logs":
                    logs.AddRange(JsonSerializer.Deserialize<Dictionary<string, double>>(ref reader, options)
                                  ?? throw new JsonException("An epoch record's Logs is null."));
                    break;
                default:
                    if (Legacy.TryGetValue(property, out var name) && JsonSerializer.Deserialize<double?>(ref reader, options) is { } value)
                        legacy[name] = value;
                    else reader.Skip();
                    break;
            }
        }
        logs.AddRange(EpochRecord.MetricNames.Where(legacy.ContainsKey).Select(n => KeyValuePair.Create(n, legacy[n])));
        return new EpochRecord(epoch, logs, seconds);
    }

    public override void Write(Utf8JsonWriter writer, EpochRecord value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber("Epoch", value.Epoch);
        writer.WritePropertyName("Logs");
        writer.WriteStartObject();
        foreach (var (name, v) in value.Logs)
        {
            writer.WritePropertyName(name);
            JsonSerializer.Serialize(writer, v, options); // NaN and ±Infinity as the options allow
        }
        writer.WriteEndObject();
        writer.WritePropertyName("Seconds");
        JsonSerializer.Serialize(writer, value.Seconds, options);
        writer.WriteEndObject();
    }
}
