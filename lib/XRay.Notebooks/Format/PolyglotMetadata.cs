using System.Text.Json.Nodes;

namespace XRay.Notebooks.Format;

/// <summary>The metadata with which VS Code's Polyglot Notebooks opens a file with the C# kernel (ANCHORS.md).</summary>
public static class PolyglotMetadata
{
    public static JsonObject Notebook() => new()
    {
        ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
        ["language_info"] = new JsonObject { ["name"] = "polyglot-notebook" },
        ["polyglot_notebook"] = new JsonObject
        {
            ["kernelInfo"] = new JsonObject
            {
                ["defaultKernelName"] = "csharp",
                ["items"] = new JsonArray(new JsonObject { ["name"] = "csharp", ["languageName"] = "C#" }),
            },
        },
    };

    public static JsonObject CodeCell() => new()
    {
        ["dotnet_interactive"] = new JsonObject { ["language"] = "csharp" },
        ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" },
    };

    /// <summary>What is wrong with a notebook's Polyglot metadata; empty when VS Code will open it as C#.</summary>
    public static IReadOnlyList<string> Problems(NotebookDocument notebook)
    {
        var problems = new List<string>();
        var m = notebook.Metadata;
        if (m["kernelspec"]?["name"]?.GetValue<string>() != ".net-csharp") problems.Add("kernelspec.name is not \".net-csharp\"");
        var language = m["language_info"]?["name"]?.GetValue<string>();
        if (language is not ("polyglot-notebook" or "C#")) problems.Add("language_info.name is not \"polyglot-notebook\"");
        if (m["polyglot_notebook"]?["kernelInfo"]?["defaultKernelName"]?.GetValue<string>() != "csharp")
            problems.Add("polyglot_notebook.kernelInfo.defaultKernelName is not \"csharp\"");
        for (var i = 0; i < notebook.Cells.Count; i++)
        {
            var cell = notebook.Cells[i];
            if (cell.CellType != "code") continue;
            if (cell.Metadata["dotnet_interactive"]?["language"]?.GetValue<string>() != "csharp")
                problems.Add($"cell {i + 1}: metadata.dotnet_interactive.language is not \"csharp\"");
            if (cell.Metadata["polyglot_notebook"]?["kernelName"]?.GetValue<string>() != "csharp")
                problems.Add($"cell {i + 1}: metadata.polyglot_notebook.kernelName is not \"csharp\"");
        }
        return problems;
    }
}
