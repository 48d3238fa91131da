using XRay.Imaging;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace XRay.Models;

/// <summary>
/// Grad-CAM (Selvaraju et al., 2017): where the network looked for a class. The gradient of the class's score with
/// respect to the last convolutional feature maps (the output of the model's <c>features</c> part: BlogCnn's,
/// ConfigurableCnn's, TransferModel's <see cref="TransferModel.Features"/>) is averaged over space to weigh each map;
/// the ReLU of the weighted sum, upsampled to the input size and scaled to [0, 1], is the heatmap. The web app and
/// notebook 11 both draw it through here.
/// </summary>
public static class GradCam
{
    /// <summary>The child module whose output is the feature maps.</summary>
    public const string FeaturesName = "features";

    /// <summary>
    /// The heatmap of <paramref name="classIndex"/> (by default the predicted class) for a (1, C, H, W) model input.
    /// Needs gradients, so not inside <c>inference_mode</c>; the model's parameters are not changed, nor its mode.
    /// </summary>
    public static GradCamMap Compute(nn.Module<Tensor, Tensor> model, Tensor input, int? classIndex = null)
    {
        if (input.ndim != 4 || input.shape[0] != 1)
            throw new ArgumentException($"Grad-CAM takes one image as (1, C, H, W), got [{string.Join(", ", input.shape)}].", nameof(input));
        var features = FeatureExtractor(model);
        Tensor? maps = null;
        // The maps become a leaf that requires grad, so their gradient exists even when the features are frozen.
        var hook = features.register_forward_hook((_, _, output) =>
        {
            maps?.Dispose();
            maps = output.detach().requires_grad_(true).DetachFromDisposeScope();
            return maps.alias();
        });
        var eval = EvalMode.Enter(model);
        try
        {
            using var scope = NewDisposeScope();
            using var grad = enable_grad();
            var x = input.detach().clone();                       // (1, C, H, W), a normal tensor even if made in inference mode
            var logits = model.call(x);                            // (1, units)
            if (maps is null || maps.ndim != 4)
                throw new InvalidOperationException($"{model.GetName()}'s '{FeaturesName}' did not produce (1, F, h, w) feature maps.");
            var units = logits.shape[1];
            var classes = ClassifierOutput.ClassCount(logits);
            var k = classIndex ?? checked((int)ClassifierOutput.Predict(logits)[0].item<long>());
            if (k < 0 || k >= classes) throw new ArgumentOutOfRangeException(nameof(classIndex), k, $"The model has {classes} classes.");
            // A sigmoid unit's logit is class 1's evidence and, negated, class 0's.
            var score = units == 1 ? (k == 1 ? logits[0, 0] : logits[0, 0].neg()) : logits[0, k];
            var gradients = autograd.grad(new[] { score }, new[] { maps })[0];      // (1, F, h, w)
            var weights = gradients.mean(new long[] { 2, 3 }, keepdim: true);       // (1, F, 1, 1)
            var cam = weights.mul(maps).sum(1, keepdim: true).relu();             // (1, 1, h, w)
            var (height, width) = (input.shape[2], input.shape[3]);
            var up = F.interpolate(cam, new[] { height, width }, mode: InterpolationMode.Bilinear, align_corners: false); // (1, 1, H, W)
            var max = up.max().item<float>();
            var heat = max > 0 ? up.div(max) : up.zero_();
            return new GradCamMap(k, heat.detach().cpu().contiguous().data<float>().ToArray(), (int)height, (int)width);
        }
        finally
        {
            hook.remove();
            maps?.Dispose();
            eval.Dispose();
        }
    }

    /// <summary>
    /// The heatmap in the jet colour map (blue cold, red hot), blended over <paramref name="image"/> (gray or RGB, any
    /// size: the map is resized to it) with weight <paramref name="alpha"/>. RGB; encode with Cv.ImEncodePng.
    /// </summary>
    public static PixelImage Overlay(PixelImage image, GradCamMap map, double alpha = 0.4)
    {
        if (alpha is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "The heatmap's weight must be in [0, 1].");
        var gray = new PixelImage(map.Height, map.Width, 1, map.Heat.Select(h => (byte)Math.Round(Math.Clamp(h, 0f, 1f) * 255)).ToArray());
        if (gray.Rows != image.Rows || gray.Cols != image.Cols) gray = Cv.Resize(gray, image.Cols, image.Rows, Interpolation.Linear);
        var colors = Cv.ApplyColorMap(gray, ColorMap.Jet);
        return Cv.AddWeighted(Rgb(image), 1 - alpha, colors, alpha);
    }

    private static PixelImage Rgb(PixelImage image)
    {
        if (image.Channels == 3) return image;
        if (image.Channels != 1) throw new ArgumentException($"Expected a gray or RGB image, got {image}.");
        var rgb = new PixelImage(image.Rows, image.Cols, 3);
        for (var i = 0; i < image.Data.Length; i++) rgb.Data[3 * i] = rgb.Data[3 * i + 1] = rgb.Data[3 * i + 2] = image.Data[i];
        return rgb;
    }

    private static nn.Module<Tensor, Tensor> FeatureExtractor(nn.Module<Tensor, Tensor> model) =>
        model.named_children().FirstOrDefault(c => c.name == FeaturesName).module as nn.Module<Tensor, Tensor>
        ?? throw new ArgumentException(
            $"Grad-CAM needs convolutional feature maps: a model with a '{FeaturesName}' part (blog-cnn, cnn, mobilenet-v2, vgg19). " +
            $"{model.GetName()} has none.", nameof(model));
}
