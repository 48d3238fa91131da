namespace XRay.Weights;

/// <summary>
/// One published set of pretrained weights: <c>mobilenet-v2.IMAGENET1K_V2</c> is torchvision's file
/// mobilenet_v2-7ebf99e0.pth for our arch mobilenet-v2.
/// </summary>
/// <param name="Name">ARCH.TAG, what --weights takes.</param>
/// <param name="Arch">The architecture it fits (<see cref="Models.ModelFactory.Architectures"/>).</param>
/// <param name="FileName">The publisher's file name; torch hub's names end in -HASH.ext, a prefix of the file's SHA-256.</param>
/// <param name="BaseUrl">Where the publisher serves it (file name appended); for NuGet, the package id/version.</param>
/// <param name="ImageNetTop1">ImageNet-1k top-1 accuracy (%) the publisher documents; null when it documents none.</param>
/// <param name="IsDefault">What "imagenet" means for the arch (torchvision's DEFAULT).</param>
public sealed record WeightSet(string Name, string Arch, WeightSource Source, string FileName, string BaseUrl,
    WeightTransforms Transforms, double? ImageNetTop1, bool IsDefault)
{
    /// <summary>The SHA-256 prefix in the file name (torch hub's convention), or null when the name carries none.</summary>
    public string? HashPrefix => Weights.HashPrefix.FromFileName(FileName);

    /// <summary>The publisher's URL of the file.</summary>
    public Uri Url => new(BaseUrl.TrimEnd('/') + "/" + FileName);
}
