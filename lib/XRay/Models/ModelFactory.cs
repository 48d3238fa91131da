using static TorchSharp.torch;

namespace XRay.Models;

/// <summary>Builds a model by its architecture name, as the CLI's --arch and a notebook's parameters cell name it.</summary>
public static class ModelFactory
{
    public const string BlogCnnArch = "blog-cnn";
    public const string MlpArch = "mlp";
    public const string CnnArch = "cnn";
    public const string MobileNetV2Arch = "mobilenet-v2";
    public const string Vgg19Arch = "vgg19";
    public const string ResNet18MlnetArch = "resnet18-mlnet";
    public const string MobileNetArch = "mobilenet";

    public static IReadOnlyList<string> Architectures { get; } = new[] { BlogCnnArch, MlpArch, CnnArch, MobileNetV2Arch, Vgg19Arch, MobileNetArch, ResNet18MlnetArch };

    /// <summary>
    /// A freshly initialized model. With a seed, libtorch's generator is seeded first, so the same seed gives the same
    /// initial weights.
    /// </summary>
    public static ClassifierModel Create(ModelSpec spec, long? seed = null)
    {
        if (seed is { } s) manual_seed(s);
        return spec.Arch.ToLowerInvariant() switch
        {
            BlogCnnArch => new BlogCnn(spec),
            MlpArch => new Mlp(spec),
            CnnArch => new ConfigurableCnn(spec),
            MobileNetV2Arch => new MobileNetV2(spec),
            Vgg19Arch => new Vgg19(spec),
            ResNet18MlnetArch => new ResNet18Mlnet(spec),
            MobileNetArch => new MobileNetV1(spec),
            _ => throw new ArgumentException(
                $"Unknown architecture '{spec.Arch}'. Choose one of: {string.Join(", ", Architectures)}.", nameof(spec)),
        };
    }

    /// <summary>Shorthand: <c>ModelFactory.Create("blog-cnn", channels: 1, height: 150, width: 150, classes: 2)</c>.</summary>
    public static ClassifierModel Create(string arch, int channels, int height, int width, int classes, long? seed = null) =>
        Create(new ModelSpec(arch, channels, height, width, classes), seed);

    /// <summary>Parses "CxHxW" (e.g. "3x224x224") as the CLI takes it.</summary>
    public static (int channels, int height, int width) ParseInputShape(string text)
    {
        var parts = text.ToLowerInvariant().Split('x');
        if (parts.Length == 3 && parts.All(p => int.TryParse(p, out var v) && v > 0))
            return (int.Parse(parts[0]), int.Parse(parts[1]), int.Parse(parts[2]));
        throw new ArgumentException($"Input shape '{text}' is not CxHxW with positive numbers, e.g. 3x224x224.");
    }
}
