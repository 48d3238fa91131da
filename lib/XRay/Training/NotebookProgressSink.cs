
namespace XRay.Training;

/// <summary>
/// Progress in a notebook: one output, made at the first write below the cell that trains, that each write replaces
/// with the whole transcript (finished epoch lines plus the current bar), instead of thousands of lines.
/// </summary>
public sealed class NotebookProgressSink : IProgressSink
{
    private readonly TranscriptProgressSink transcript;
    private LiveDisplay? display;

    public NotebookProgressSink() =>
        transcript = new TranscriptProgressSink(text =>
        {
            if (display is null) display = LiveDisplay.Show(text);
            else display.Update(text);
        });

    public void Write(string line, bool final) => transcript.Write(line, final);
}
