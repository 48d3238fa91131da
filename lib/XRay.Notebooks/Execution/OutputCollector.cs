using System.Text;

namespace XRay.Notebooks.Execution;

/// <summary>Gathers one submission's outputs: console text, displays, the result and any error.</summary>
internal sealed class OutputCollector
{
    private readonly List<CellOutput> outputs = new();
    private readonly object gate = new();

    public IReadOnlyList<CellOutput> Snapshot()
    {
        lock (gate) return outputs.ToList();
    }

    public void Clear()
    {
        lock (gate) outputs.Clear();
    }

    public void Add(CellOutput output)
    {
        lock (gate) outputs.Add(output);
    }

    /// <summary>Consecutive writes to one stream merge into one output, as Jupyter shows them.</summary>
    public void Write(string stream, string text)
    {
        if (text.Length == 0) return;
        lock (gate)
        {
            if (outputs.Count > 0 && outputs[^1] is StreamOutput last && last.Name == stream)
                outputs[^1] = last with { Text = last.Text + text };
            else
                outputs.Add(new StreamOutput(stream, text));
        }
    }

    public DisplayHandle Display(object? value, string[] mimeTypes)
    {
        var output = new DisplayDataOutput($"display-{Guid.NewGuid():N}") { Data = OutputFormatter.Format(value, mimeTypes) };
        Add(output);
        return new DisplayHandle(output);
    }

    /// <summary>A TextWriter that forwards to a stream output of this collector (Console.Out / Console.Error).</summary>
    public TextWriter Writer(string stream) => new ForwardingWriter(this, stream);

    private sealed class ForwardingWriter(OutputCollector owner, string stream) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => owner.Write(stream, value.ToString());

        public override void Write(string? value) => owner.Write(stream, value ?? "");

        public override void Write(char[] buffer, int index, int count) => owner.Write(stream, new string(buffer, index, count));
    }
}
