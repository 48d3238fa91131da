namespace XRay.Training;

/// <summary>
/// The trainer's own checkpoint (Keras' BackupAndRestore): after every epoch, the whole training state, callback states
/// included, written atomically to one file that <see cref="TrainingOptions.ResumeFrom"/> continues from. Fit adds it
/// last, so the file holds what the other callbacks changed (a reduced rate, restored weights); a diverged epoch never
/// replaces the last good one.
/// </summary>
public sealed class CheckpointWriter(string path) : Callback
{
    public const string FileName = "checkpoint.pt";

    public string Path { get; } = path;

    public override void OnEpochEnd(TrainingContext context, int epoch, EpochRecord logs)
    {
        if (double.IsFinite(logs.Loss)) context.SaveCheckpoint(Path);
    }
}
