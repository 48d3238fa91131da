using System.Text.Json;
using System.Text.Json.Nodes;

namespace XRay.Notebooks.Format;

/// <summary>
/// A Jupyter notebook file (nbformat 4), kept as JSON so fields we do not model survive a round trip.
/// Polyglot Notebooks (.NET Interactive) files are ordinary nbformat 4 with extra metadata.
/// </summary>
public sealed class NotebookDocument
{
    private readonly JsonObject root;

    private NotebookDocument(JsonObject root, string? path)
    {
        this.root = root;
        Path = path;
        if (root["cells"] is not JsonArray cells)
            throw new InvalidDataException($"{Describe(path)} has no \"cells\" array; is it a Jupyter notebook?");
        Cells = cells.Select((c, i) => c is JsonObject o
                ? new NotebookCell(o)
                : throw new InvalidDataException($"{Describe(path)}: cell {i + 1} is not a JSON object."))
            .ToList();
    }

    /// <summary>The file it was read from, if any.</summary>
    public string? Path { get; }

    public List<NotebookCell> Cells { get; }

    public JsonObject Metadata => root["metadata"] as JsonObject ?? (JsonObject)(root["metadata"] = new JsonObject());

    public int NbFormat => root["nbformat"]?.GetValue<int>() ?? 0;

    public static NotebookDocument Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (FileNotFoundException)
        {
            throw new FileNotFoundException($"No notebook at '{path}'.", path);
        }
        return Parse(text, path);
    }

    public static NotebookDocument Parse(string json, string? path = null)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{Describe(path)} is not valid JSON: {e.Message}", e);
        }
        if (node is not JsonObject obj) throw new InvalidDataException($"{Describe(path)} is not a JSON object.");
        var document = new NotebookDocument(obj, path);
        if (document.NbFormat != 4)
            throw new InvalidDataException($"{Describe(path)} is nbformat {document.NbFormat}; only nbformat 4 is supported.");
        return document;
    }

    /// <summary>A new empty notebook with the Polyglot (.NET Interactive) C# metadata VS Code expects.</summary>
    public static NotebookDocument CreatePolyglot() => Parse(new JsonObject
    {
        ["cells"] = new JsonArray(),
        ["metadata"] = PolyglotMetadata.Notebook(),
        ["nbformat"] = 4,
        ["nbformat_minor"] = 5,
    }.ToJsonString());

    public NotebookCell AddCell(string cellType, string source, int? index = null)
    {
        var cell = NotebookCell.Create(cellType, source);
        var cells = (JsonArray)root["cells"]!;
        var at = index ?? Cells.Count;
        cells.Insert(at, cell.Json);
        Cells.Insert(at, cell);
        return cell;
    }

    public string ToJson() => root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";

    /// <summary>Writes the notebook (temp file + rename, so a crash never leaves half a notebook).</summary>
    public void Save(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var temp = full + ".tmp";
        File.WriteAllText(temp, ToJson());
        File.Move(temp, full, overwrite: true);
    }

    private static string Describe(string? path) => path is null ? "The notebook" : $"'{path}'";
}
