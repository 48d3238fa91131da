using System.Text.Json.Nodes;

namespace XRay.Notebooks.Execution;

/// <summary>
/// How the kernel process talks to <see cref="NotebookRunner"/>: one JSON object a line on its stdout, behind a marker,
/// so anything else written there (native libraries print to the same file descriptor) is told apart and dropped.
/// Messages: start {cell}, output {cell, output (nbformat), id (display id, display_data only)}, update {id, data},
/// end {cell, error?}. The input, on stdin, is {folder, cells: [code, ...]}.
/// </summary>
internal static class WorkerProtocol
{
    public const string Marker = "\u001exray-kernel\u001e";

    /// <summary>The argument that starts XRay.Notebooks in kernel-process mode.</summary>
    public const string WorkerArgument = "--kernel-process";

    public static string Encode(JsonObject message) => Marker + message.ToJsonString() + "\n";

    public static JsonObject? Decode(string line)
    {
        var at = line.IndexOf(Marker, StringComparison.Ordinal);
        return at < 0 ? null : JsonNode.Parse(line[(at + Marker.Length)..]) as JsonObject;
    }

    public static JsonObject Error(ErrorOutput e) => new()
    {
        ["name"] = e.Name,
        ["message"] = e.Message,
        ["traceback"] = new JsonArray(e.Traceback.Select(t => (JsonNode?)t).ToArray()),
        ["line"] = e.Line,
    };

    public static ErrorOutput ReadError(JsonNode node) => new(
        node["name"]!.GetValue<string>(),
        node["message"]!.GetValue<string>(),
        node["traceback"]!.AsArray().Select(t => t!.GetValue<string>()).ToList(),
        node["line"]?.GetValue<int?>());
}
