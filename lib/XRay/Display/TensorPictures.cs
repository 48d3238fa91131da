using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using XRay.Imaging;
using XRay.Torch.Display;

namespace XRay.Display;

/// <summary>
/// Shows an image-shaped tensor in a notebook as a picture captioned with its shape. XRay.Torch formats tensors but
/// cannot reference the image code here, so this fills its hook as soon as the library loads.
/// </summary>
internal static class TensorPictures
{
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "Notebooks never call an init method; loading XRay must be enough.")]
    internal static void Register() =>
        TensorFormatterSource.ImageHtml = t => Mat.LooksLikeImage(t) ? Picture.From(t, t.ToString()).ToHtml() : null;
}
