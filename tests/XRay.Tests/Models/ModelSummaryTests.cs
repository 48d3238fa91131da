using XRay.Models;

namespace XRay.Tests.Models;

public class ModelSummaryTests
{
    [Fact]
    public void Lists_layers_with_output_shapes_and_totals_as_text_and_html()
    {
        using var model = new BlogCnn(3, 255, 255, classes: 2);
        var summary = ModelSummary.Create(model, 3, 255, 255);
        Assert.Equal("(None, 32, 253, 253)", summary.Layers[0].OutputShapeText);
        Assert.Equal(896, summary.Layers[0].Parameters);
        Assert.Equal("(None, 1)", summary.Layers[^1].OutputShapeText);
        Assert.Equal(summary.TotalParameters, summary.Layers.Sum(l => l.Parameters));
        var text = summary.ToString();
        Assert.Contains(" features.0 (Conv2d)         (None, 32, 253, 253)      896", text);
        Assert.Contains("Total params: 3,706,049", text);
        Assert.Contains("Non-trainable params: 0", text);
        Assert.Contains("<td>features.0 (Conv2d)</td>", summary.ToHtml());
        Assert.True(model.training); // the summary's eval pass restores the mode
    }

    [Fact]
    public void Frozen_features_count_as_non_trainable()
    {
        using var model = (MobileNetV2)ModelFactory.Create("mobilenet-v2", 3, 32, 32, 3, seed: 0);
        model.FreezeFeatures();
        var summary = ModelSummary.Create(model, 3, 32, 32);
        Assert.Equal(2_223_872, summary.NonTrainableParameters); // torchvision's mobilenet_v2 features
        // seed 001's head on 1280 features: 655,872 + 262,656 + 1,024 (BatchNorm) + 8,208 + 51, as its Keras summary.
        Assert.Equal(655_872 + 262_656 + 1_024 + 8_208 + 51, summary.TrainableParameters);
        model.UnfreezeFeatures();
        Assert.Equal(0, ModelSummary.Create(model, 3, 32, 32).NonTrainableParameters);
    }
}
