using System.Text.Json;

namespace XRay.Models;

/// <summary>
/// Everything needed to rebuild a model from its name: recorded in checkpoints so `xray evaluate` and `xray predict`
/// rebuild the same network before loading its weights.
/// </summary>
/// <param name="Arch">blog-cnn, mlp, cnn, mobilenet, mobilenet-v2, vgg19 or resnet18-mlnet (see <see cref="ModelFactory.Architectures"/>).</param>
public sealed record ModelSpec(string Arch, int Channels, int Height, int Width, int Classes)
{
    /// <summary>Layers of the configurable CNN (arch "cnn"); null means the defaults.</summary>
    public CnnOptions? Cnn { get; init; }

    /// <summary>Hidden layers of the MLP (arch "mlp"); null means the defaults.</summary>
    public MlpOptions? Mlp { get; init; }

    /// <summary>Which classifier the transfer models (mobilenet, mobilenet-v2, vgg19, resnet18-mlnet) put on their features.</summary>
    public TransferHead Head { get; init; } = TransferHead.Seed001;

    public long[] InputShape => new long[] { Channels, Height, Width };

    public string ToJson() => JsonSerializer.Serialize(this, JsonDefaults.Options);

    public static ModelSpec FromJson(string json) =>
        JsonSerializer.Deserialize<ModelSpec>(json, JsonDefaults.Options) ?? throw new InvalidDataException("The model spec JSON is empty.");
}
