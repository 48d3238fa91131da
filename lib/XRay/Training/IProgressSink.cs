namespace XRay.Training;

/// <summary>Where <see cref="ProgressReporter"/> writes: a console, or a notebook's one live-updating display.</summary>
public interface IProgressSink
{
    /// <summary>
    /// Shows <paramref name="line"/>. An unfinished line (final false) replaces the previous unfinished one; a final
    /// line stays (Keras' "\r" progress bar).
    /// </summary>
    void Write(string line, bool final);
}
