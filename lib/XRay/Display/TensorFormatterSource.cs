using System.Net;
using XRay.Imaging;
using static TorchSharp.torch;

namespace XRay.Display;

/// <summary>
/// How a tensor shows in a notebook: an image-shaped tensor ((H, W), (1|3, H, W) or a batch of one) as a picture,
/// anything else as libtorch's printout. Large tensors show their shape only.
/// </summary>
public sealed class TensorFormatterSource
{
    private const long MaxPrintedElements = 2000;

    /// <summary>
    /// The picture of an image-shaped tensor, or null: set by XRay (XRay.Display.TensorPictures), where the image code
    /// lives, since this library does not reference it.
    /// </summary>
    internal static Func<torch.Tensor, string?>? ImageHtml { get; set; }

    public IEnumerable<object> CreateTypeFormatters() => new object[]
    {
        new ConventionFormatter<Tensor>("text/plain", Text),
        new ConventionFormatter<Tensor>("text/html", Html),
    };

    private static string Text(Tensor t) =>
        t.IsInvalid ? t.ToString() : t.numel() <= MaxPrintedElements ? t.ToString(TorchSharp.TensorStringStyle.Numpy) : t.ToString();

    private static string Html(Tensor t)
    {
        if (!t.IsInvalid && ImageHtml?.Invoke(t) is { } picture) return picture;
        return "<pre>" + WebUtility.HtmlEncode(Text(t)) + "</pre>";
    }
}
