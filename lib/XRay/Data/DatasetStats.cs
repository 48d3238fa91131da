using System.Text;
using System.Text.Json;

namespace XRay.Data;

/// <summary>
/// Images per split and class as found on disk (before any validation split is taken from train), and every skipped
/// file with its reason: what `xray data stats` prints.
/// </summary>
public sealed record DatasetStats(string Root, IReadOnlyList<(string Split, IReadOnlyList<(string Class, int Count)> Classes)> Splits,
    IReadOnlyList<SkippedFile> Skipped)
{
    public static DatasetStats Compute(string root)
    {
        var dataset = ImageDataset.Open(root, validationFraction: 0);
        var splits = new[] { ("train", dataset.Train), ("val", dataset.Val), ("test", dataset.Test) }
            .Where(s => s.Item2 is not null)
            .Select(s => (s.Item1, (IReadOnlyList<(string, int)>)s.Item2!.ClassNames.Zip(s.Item2.ClassCounts()).ToList()))
            .ToList();
        return new DatasetStats(dataset.Layout.Root, splits, dataset.Skipped.ToList());
    }

    /// <summary>{"splits":{"train":{"NORMAL":n,...},...},"skipped":[{"path":...,"reason":...}]}</summary>
    public string ToJson()
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartObject("splits");
            foreach (var (split, classes) in Splits)
            {
                json.WriteStartObject(split);
                foreach (var (name, count) in classes) json.WriteNumber(name, count);
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteStartArray("skipped");
            foreach (var s in Skipped)
            {
                json.WriteStartObject();
                json.WriteString("path", s.Path);
                json.WriteString("reason", s.Reason);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>A table, then the blog's lines ("Training Covid Images:  460"), then the skipped files.</summary>
    public string ToText()
    {
        var text = new StringBuilder().Append("Dataset: ").Append(Root).Append('\n');
        foreach (var (split, classes) in Splits)
        {
            text.Append($"{split,-6}").Append(string.Join("  ", classes.Select(c => $"{c.Class} {c.Count}")))
                .Append($"  (total {classes.Sum(c => c.Count)})\n");
        }
        text.Append('\n');
        foreach (var (split, classes) in Splits)
        {
            var title = split switch { "train" => "Training", "test" => "Testing", _ => "Validation" };
            foreach (var (name, count) in classes) text.Append(ImageFolder.BlogCountLine(title, name, count)).Append('\n');
        }
        text.Append('\n').Append(Skipped.Count == 0 ? "No files skipped.\n" : $"Skipped {Skipped.Count} file(s):\n");
        foreach (var s in Skipped) text.Append("  ").Append(s.Path).Append(": ").Append(s.Reason).Append('\n');
        return text.ToString();
    }
}
