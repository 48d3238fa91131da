using System.Text;
using XRay.IO;
using static TorchSharp.torch;

namespace XRay.Training;

/// <summary>Writes the history as JSON (Keras' history.history layout) after every epoch, atomically.</summary>
public sealed class HistoryLogger(string path) : Callback
{
    public const string FileName = "history.json";

    public string Path { get; } = path;

    public override void OnEpochEnd(TrainingContext context, int epoch, EpochRecord logs) => Write(context.History);

    public void Write(History history) => AtomicFile.Write(Path, Encoding.UTF8.GetBytes(history.ToJson()));
}
