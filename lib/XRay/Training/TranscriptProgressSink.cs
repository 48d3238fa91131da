using System.Text;

namespace XRay.Training;

/// <summary>
/// Keeps the whole progress text (finished lines plus the current bar) and hands it to <paramref name="onChange"/>
/// after every write (<see cref="NotebookProgressSink"/> shows it as one live-updating notebook output).
/// </summary>
public sealed class TranscriptProgressSink(Action<string> onChange) : IProgressSink
{
    private readonly StringBuilder finished = new();
    private string current = "";

    public string Text => finished.ToString() + current;

    public void Write(string line, bool final)
    {
        if (final)
        {
            finished.Append(line).Append('\n');
            current = "";
        }
        else
        {
            current = line;
        }
        onChange(Text);
    }
}
