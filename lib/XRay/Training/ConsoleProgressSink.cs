namespace XRay.Training;

/// <summary>
/// Keras' console behaviour: the bar redraws in place with "\r" on a terminal; when the output is redirected (a log
/// file, CI) only the final line of each epoch is written.
/// </summary>
public sealed class ConsoleProgressSink(TextWriter? writer = null, bool? interactive = null) : IProgressSink
{
    private readonly TextWriter writer = writer ?? Console.Out;
    private readonly bool interactive = interactive ?? !Console.IsOutputRedirected;
    private int lastLength;

    public void Write(string line, bool final)
    {
        if (!interactive && !final) return;
        if (interactive)
        {
            writer.Write('\r');
            writer.Write(line.PadRight(lastLength));
            lastLength = final ? 0 : line.Length;
            if (final) writer.WriteLine();
        }
        else
        {
            writer.WriteLine(line);
        }
        writer.Flush();
    }
}
