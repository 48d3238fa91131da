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

    public IEnumerable<object> CreateTypeFormatters() => new object[]
    {
        new ConventionFormatter<Tensor>("text/plain", Text),
        new ConventionFormatter<Tensor>("text/html", Html),
    };

    private static string Text(Tensor t) =>
        t.IsInvalid ? t.ToString() : t.numel() <= MaxPrintedElements ? t + "\n" + t.ToString(TorchSharp.TensorStringStyle.Numpy) : t.ToString();

    private static string Html(Tensor t)
    {
        if (!t.IsInvalid && PixelImage.LooksLikeImage(t)) return Picture.From(t, t.ToString()).ToHtml();
        return "<pre>" + WebUtility.HtmlEncode(Text(t)) + "</pre>";
    }
}
