using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace XRay.Notebooks.Execution;

/// <summary>
/// The kernel process: reads the cells from stdin, runs them in order in one <see cref="KernelHost"/> in the
/// notebook's folder, and reports every output as it happens (<see cref="WorkerProtocol"/>), so that when the parent
/// kills it on a timeout the outputs so far are already out. Stops at the first failing cell.
/// </summary>
internal static class NotebookWorker
{
    public static async Task<int> RunAsync(TextReader input, Stream output)
    {
        var request = JsonNode.Parse(await input.ReadToEndAsync())!;
        var folder = request["folder"]!.GetValue<string>();
        var cells = request["cells"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
        // The raw stdout, not Console.Out: the kernel captures Console per cell, and a write from an event handler
        // would come back as another event.
        var wire = new StreamWriter(output) { AutoFlush = true };
        var gate = new object();
        var current = -1;
        void Send(JsonObject message)
        {
            lock (gate) wire.Write(WorkerProtocol.Encode(message));
        }

        Environment.CurrentDirectory = folder;
        using var kernel = new KernelHost(folder);
        using var subscription = kernel.Events.Subscribe(e =>
        {
            if (ToMessage(e, current) is { } message) Send(message);
        });
        for (var i = 0; i < cells.Count; i++)
        {
            current = i;
            Send(new JsonObject { ["kind"] = "start", ["cell"] = i });
            var error = await kernel.SubmitAsync(cells[i]);
            Send(new JsonObject { ["kind"] = "end", ["cell"] = i, ["error"] = error is null ? null : WorkerProtocol.Error(error) });
            if (error is not null) return 1;
        }
        return 0;
    }

    private static JsonObject? ToMessage(KernelEvent e, int cell) => e switch
    {
        StandardOutputValueProduced o => Output(cell, Stream("stdout", o.FormattedValues)),
        StandardErrorValueProduced o => Output(cell, Stream("stderr", o.FormattedValues)),
        DisplayedValueUpdated u => new JsonObject { ["kind"] = "update", ["id"] = u.ValueId, ["data"] = Bundle(u.Value, u.FormattedValues) },
        DisplayedValueProduced d => Output(cell, new JsonObject
        {
            ["output_type"] = "display_data",
            ["data"] = Bundle(d.Value, d.FormattedValues),
        }, d.ValueId),
        ReturnValueProduced r => Output(cell, new JsonObject
        {
            ["output_type"] = "execute_result",
            ["data"] = Bundle(r.Value, r.FormattedValues),
        }),
        _ => null,
    };

    private static JsonObject Output(int cell, JsonObject output, string? displayId = null) =>
        new() { ["kind"] = "output", ["cell"] = cell, ["output"] = output, ["id"] = displayId };

    private static JsonObject Stream(string name, IEnumerable<FormattedValue> values) => new()
    {
        ["output_type"] = "stream",
        ["name"] = name,
        ["text"] = string.Concat(values.Where(v => v.MimeType == "text/plain").Select(v => v.Value)),
    };

    // What the kernel formatted, plus text/plain and the static images our formatters make (for GitHub and the report).
    private static JsonObject Bundle(object? value, IEnumerable<FormattedValue> values)
    {
        var bundle = values.GroupBy(v => v.MimeType).ToDictionary(g => g.Key, g => g.First().Value);
        if (value is not null) OutputFormatter.Complete(value, bundle);
        var json = new JsonObject();
        foreach (var (mime, content) in bundle) json[mime] = content;
        return json;
    }
}
