using System.Text.Json.Serialization;
using XRay.Models;
using XRay.Training;

namespace XRay.Web;

/// <summary>
/// What the page and every API answer say about the model: its name, input, classes and accuracies, the replicas and
/// libtorch threads each runs on (replicas × threads ≤ cores), and whether its
/// probabilities are calibrated (`xray calibrate` stored a temperature T in the checkpoint; 1 means not calibrated).
/// </summary>
public sealed record ModelInfo(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("arch")] string Arch,
    [property: JsonPropertyName("input")] int[] Input,
    [property: JsonPropertyName("classes")] IReadOnlyList<string> Classes,
    [property: JsonPropertyName("checkpoint")] string Checkpoint,
    [property: JsonPropertyName("epoch")] int Epoch,
    [property: JsonPropertyName("test_accuracy")] double? TestAccuracy,
    [property: JsonPropertyName("val_accuracy")] double? ValAccuracy,
    [property: JsonPropertyName("replicas")] int Replicas,
    [property: JsonPropertyName("threads_per_replica")] int ThreadsPerReplica,
    [property: JsonPropertyName("temperature")] double Temperature = 1)
{
    /// <summary>True when the probabilities are temperature-scaled (T ≠ 1).</summary>
    [JsonPropertyName("calibrated")]
    public bool Calibrated => Temperature != 1;

    /// <param name="checkpointName">The file's name only: the page never shows the server's folders.</param>
    /// <param name="testAccuracy">Measured on a test split at start, if one was given.</param>
    public static ModelInfo From(Checkpoint checkpoint, string checkpointName, ClassifierModel model, int replicas, int threadsPerReplica, double? testAccuracy) =>
        new(model.GetName(), model.Spec.Arch, [model.Spec.Channels, model.Spec.Height, model.Spec.Width], checkpoint.ClassNames.ToArray(),
            checkpointName, checkpoint.Epoch, testAccuracy, checkpoint.History.Epochs.LastOrDefault()?.ValAccuracy, replicas, threadsPerReplica,
            checkpoint.Temperature);
}
