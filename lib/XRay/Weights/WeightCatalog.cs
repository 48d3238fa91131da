namespace XRay.Weights;

/// <summary>
/// The pretrained weight sets --weights knows by name: torchvision's published ImageNet files (same URLs and file names
/// as torchvision), Keras' MobileNet (HDF5), and the ResNet-18 that NuGet serves (offline).
/// </summary>
public static class WeightCatalog
{
    public const string TorchvisionBaseUrl = "https://download.pytorch.org/models/";
    public const string KerasMobileNetBaseUrl = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet/";
    public const string ResNet18PackageId = "microsoft.ml.dnnimagefeaturizer.resnet18";
    public const string ResNet18PackageVersion = "0.24.0";

    /// <summary>What --weights imagenet means for every arch that has pretrained weights.</summary>
    public const string ImageNet = "imagenet";

    /// <summary>No pretrained weights (random initialization).</summary>
    public const string None = "none";

    // Top-1 accuracies: torchvision's model docs (acc@1 on ImageNet-1k val) and Keras' applications table.
    public static IReadOnlyList<WeightSet> All { get; } = new[]
    {
        new WeightSet("mobilenet-v2.IMAGENET1K_V1", "mobilenet-v2", WeightSource.Torchvision, "mobilenet_v2-b0353104.pth",
            TorchvisionBaseUrl, WeightTransforms.Torchvision(256), 71.878, IsDefault: false),
        new WeightSet("mobilenet-v2.IMAGENET1K_V2", "mobilenet-v2", WeightSource.Torchvision, "mobilenet_v2-7ebf99e0.pth",
            TorchvisionBaseUrl, WeightTransforms.Torchvision(232), 72.154, IsDefault: true),
        new WeightSet("vgg19.IMAGENET1K_V1", "vgg19", WeightSource.Torchvision, "vgg19-dcbb9e9d.pth",
            TorchvisionBaseUrl, WeightTransforms.Torchvision(256), 72.376, IsDefault: true),
        new WeightSet("mobilenet.keras", "mobilenet", WeightSource.Keras, "mobilenet_1_0_224_tf_no_top.h5",
            KerasMobileNetBaseUrl, WeightTransforms.KerasTf, 70.4, IsDefault: true),
        new WeightSet("resnet18-mlnet.imagenet", "resnet18-mlnet", WeightSource.NuGet, "tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx",
            $"{ResNet18PackageId}/{ResNet18PackageVersion}", WeightTransforms.None, null, IsDefault: true),
    };

    /// <summary>A weight set by its exact name (case-insensitive), or null.</summary>
    public static WeightSet? Find(string name) =>
        All.FirstOrDefault(w => string.Equals(w.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The set "imagenet" means for <paramref name="arch"/>, or null when the arch has none.</summary>
    public static WeightSet? DefaultFor(string arch) =>
        All.FirstOrDefault(w => w.IsDefault && string.Equals(w.Arch, arch, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// What --weights WORD names for <paramref name="arch"/>: null for "none", a catalogue entry for "imagenet" or a name.
    /// Anything else is not a catalogue word (the caller treats it as a file path).
    /// </summary>
    public static bool TryResolve(string word, string arch, out WeightSet? set)
    {
        set = null;
        if (string.Equals(word, None, StringComparison.OrdinalIgnoreCase)) return true;
        if (string.Equals(word, ImageNet, StringComparison.OrdinalIgnoreCase))
        {
            set = DefaultFor(arch) ?? throw new ArgumentException(
                $"--weights imagenet: there are no pretrained weights for arch '{arch}'. Archs with weights: " +
                $"{string.Join(", ", All.Select(w => w.Arch).Distinct())}.");
            return true;
        }
        if (Find(word) is not { } found) return false;
        if (!string.Equals(found.Arch, arch, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"The weights '{found.Name}' are for arch '{found.Arch}', not '{arch}'. Pass --arch {found.Arch}.");
        set = found;
        return true;
    }
}
