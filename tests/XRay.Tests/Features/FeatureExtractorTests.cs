using XRay.Data;
using XRay.Features;
using XRay.Models;
using static TorchSharp.torch;

namespace XRay.Tests.Features;

public class FeatureExtractorTests
{
    private static readonly Preprocessing Gray48 = new(48, 48, ColorMode.Grayscale);

    [Fact]
    public void Flatten_is_what_the_dense_head_sees_and_average_pooling_is_its_per_channel_mean()
    {
        using var flat = FeatureExtractor.FromArchitecture(ModelFactory.BlogCnnArch, Gray48, seed: 1);
        using var average = FeatureExtractor.FromArchitecture(ModelFactory.BlogCnnArch, Gray48, pooling: FeaturePooling.Average, seed: 1);
        using var images = rand(3, 1, 48, 48, generator: new TorchSharp.torch.Generator(5));

        var f = flat.Rows(images);
        var a = average.Rows(images);

        // 48 -> conv 46 -> pool 23 -> conv 21 -> pool 10 -> conv 8 -> pool 4: 32 channels of 4x4.
        Assert.Equal(FeaturePooling.Flatten, flat.Pooling);
        Assert.Equal(new[] { 3, 3 }, new[] { f.Length, a.Length });
        Assert.All(f, row => Assert.Equal(32 * 4 * 4, row.Length));
        Assert.All(a, row => Assert.Equal(32, row.Length));
        for (var i = 0; i < 3; i++)
            for (var c = 0; c < 32; c++)
                Assert.Equal(f[i].Skip(c * 16).Take(16).Average(), a[i][c], 4);
        Assert.Equal(6, flat.ImagesRun + average.ImagesRun);
    }

    [Fact]
    public void The_same_image_gives_the_same_vector_with_dropout_off()
    {
        using var extractor = FeatureExtractor.FromArchitecture(ModelFactory.BlogCnnArch, Gray48, seed: 2);
        extractor.Model.train(); // extraction must not depend on the mode it was left in
        using var images = rand(2, 1, 48, 48, generator: new TorchSharp.torch.Generator(6));

        Assert.Equal(extractor.Rows(images), extractor.Rows(images));
    }

    [Fact]
    public void Torchvision_models_pool_globally_to_their_channel_count()
    {
        using var extractor = FeatureExtractor.FromArchitecture(ModelFactory.MobileNetV2Arch, new Preprocessing(32, 32, ColorMode.Grayscale), seed: 3);
        using var images = rand(2, 1, 32, 32);

        var rows = extractor.Rows(images);

        Assert.Equal(FeaturePooling.Average, extractor.Pooling);
        Assert.All(rows, row => Assert.Equal(1280, row.Length));
    }

    [Fact]
    public void Pretrained_weights_from_a_state_dict_file_make_the_same_features_as_the_model_that_saved_them()
    {
        var prep = new Preprocessing(32, 32, ColorMode.Rgb);
        var weights = Path.Combine(TestFiles.TempFolder(), "mobilenet_v2.pt");
        using var source = FeatureExtractor.FromArchitecture(ModelFactory.MobileNetV2Arch, prep, seed: 5);
        XRay.IO.TensorFile.Save(source.Model.state_dict(), weights); // as Python's torch.save(model.state_dict(), path)

        using var loaded = FeatureExtractor.FromArchitecture(ModelFactory.MobileNetV2Arch, prep, weights: weights, seed: 9);
        using var untrained = FeatureExtractor.FromArchitecture(ModelFactory.MobileNetV2Arch, prep, seed: 9);
        using var images = rand(2, 3, 32, 32, generator: new TorchSharp.torch.Generator(8));

        Assert.Equal(source.Rows(images), loaded.Rows(images));
        Assert.NotEqual(source.Rows(images), untrained.Rows(images));
        Assert.Contains(weights, loaded.Source);
    }

    [Fact]
    public void The_fingerprint_follows_the_weights_and_the_preprocessing_not_the_object()
    {
        using var a = FeatureExtractor.FromArchitecture(ModelFactory.BlogCnnArch, Gray48, seed: 1);
        using var same = FeatureExtractor.FromArchitecture(ModelFactory.BlogCnnArch, Gray48, seed: 1);
        using var otherWeights = FeatureExtractor.FromArchitecture(ModelFactory.BlogCnnArch, Gray48, seed: 2);
        using var otherScaling = FeatureExtractor.FromArchitecture(ModelFactory.BlogCnnArch, Gray48 with { Mean = 0.5 }, seed: 1);

        Assert.Equal(a.Fingerprint, same.Fingerprint);
        Assert.NotEqual(a.Fingerprint, otherWeights.Fingerprint);
        Assert.NotEqual(a.Fingerprint, otherScaling.Fingerprint);
    }

    [Fact]
    public void Models_without_a_convolutional_part_and_mismatched_preprocessing_are_refused()
    {
        Assert.Contains("no convolutional feature extractor",
            Assert.Throws<ArgumentException>(() => FeatureExtractor.FromArchitecture(ModelFactory.MlpArch, Gray48)).Message);
        using var model = ModelFactory.Create(ModelFactory.BlogCnnArch, 1, 48, 48, 3);
        Assert.Contains("takes 1x48x48", Assert.Throws<ArgumentException>(() => new FeatureExtractor(model, new Preprocessing(64, 64))).Message);
        Assert.Contains("Pretrained weights are for mobilenet-v2, vgg19",
            Assert.Throws<ArgumentException>(() => FeatureExtractor.FromArchitecture(ModelFactory.BlogCnnArch, Gray48, weights: "w.pt")).Message);
    }
}
