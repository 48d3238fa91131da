using System.Text.Json;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;

namespace XRay.Notebooks.Format;

/// <summary>
/// Reads and writes .ipynb with Microsoft.DotNet.Interactive.Documents, as VS Code's Polyglot Notebooks do.
/// Writing uses <c>ToJupyterJson()</c> plus a final newline: <c>Notebook.Write</c> adds a stray top-level
/// <c>metadata.kernelInfo</c>.
/// </summary>
public static class NotebookFile
{
    public static InteractiveDocument Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FileNotFoundException($"No notebook at '{path}'.", path);
        }
        return Parse(text, path);
    }

    public static InteractiveDocument Parse(string json, string? path = null)
    {
        try
        {
            return Notebook.Parse(json);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new InvalidDataException($"{(path is null ? "The notebook" : $"'{path}'")} is not a Jupyter notebook: {e.Message}", e);
        }
    }

    public static string ToJson(InteractiveDocument notebook) => notebook.ToJupyterJson() + "\n";

    /// <summary>Writes the notebook (temp file + rename, so a crash never leaves half a notebook).</summary>
    public static void Save(InteractiveDocument notebook, string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp";
        File.WriteAllText(temp, ToJson(notebook));
        File.Move(temp, full, overwrite: true);
    }

    /// <summary>The cell's tags (metadata.tags).</summary>
    public static IReadOnlyList<string> Tags(InteractiveDocumentElement cell) =>
        cell.Metadata?.TryGetValue("tags", out var tags) == true && tags is IEnumerable<object> list
            ? list.Select(t => t?.ToString() ?? "").ToList()
            : Array.Empty<string>();

    public static bool IsCode(InteractiveDocumentElement cell) => cell.KernelName is not ("markdown" or "md" or null);
}
