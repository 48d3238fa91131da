using System.Text.Json.Nodes;

namespace XRay.Notebooks.Format;

/// <summary>One cell of an nbformat 4 notebook: its type, source, tags, outputs and metadata.</summary>
public sealed class NotebookCell
{
    internal NotebookCell(JsonObject json) => Json = json;

    internal JsonObject Json { get; }

    /// <summary>"code", "markdown" or "raw".</summary>
    public string CellType => Json["cell_type"]?.GetValue<string>() ?? "raw";

    /// <summary>The source, joined: nbformat stores it as a string or as a list of lines.</summary>
    public string Source
    {
        get => Json["source"] switch
        {
            JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>() ?? "")),
            JsonValue v => v.GetValue<string>(),
            _ => "",
        };
        set => Json["source"] = SplitLines(value);
    }

    public JsonObject Metadata => Json["metadata"] as JsonObject ?? (JsonObject)(Json["metadata"] = new JsonObject());

    public IReadOnlyList<string> Tags =>
        (Metadata["tags"] as JsonArray)?.Select(t => t?.GetValue<string>() ?? "").ToList() ?? new List<string>();

    public bool HasTag(string tag) => Tags.Contains(tag);

    public void AddTag(string tag)
    {
        if (Metadata["tags"] is not JsonArray tags) Metadata["tags"] = tags = new JsonArray();
        if (!HasTag(tag)) tags.Add(tag);
    }

    /// <summary>The cell's outputs (code cells only).</summary>
    public JsonArray Outputs => Json["outputs"] as JsonArray ?? (JsonArray)(Json["outputs"] = new JsonArray());

    public int? ExecutionCount
    {
        get => Json["execution_count"]?.GetValue<int?>();
        set => Json["execution_count"] = value;
    }

    internal static NotebookCell Create(string cellType, string source)
    {
        var json = new JsonObject { ["cell_type"] = cellType, ["metadata"] = new JsonObject(), ["source"] = SplitLines(source) };
        if (cellType == "code")
        {
            json["execution_count"] = null;
            json["outputs"] = new JsonArray();
            json["metadata"] = PolyglotMetadata.CodeCell();
        }
        return new NotebookCell(json);
    }

    // Jupyter's convention: a list of lines, each but the last keeping its "\n".
    private static JsonArray SplitLines(string text)
    {
        var result = new JsonArray();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
            if (text[i] == '\n')
            {
                result.Add(text[start..(i + 1)]);
                start = i + 1;
            }
        if (start < text.Length) result.Add(text[start..]);
        return result;
    }
}
