using XRay.Data;
using XRay.Imaging;
using XRay.IO;
using XRay.Models;
using XRay.TestSupport;
using XRay.Weights;
using static TorchSharp.torch;

namespace XRay.Tests.Weights;

public class PretrainedWeightsTests
{
    [Fact]
    public void Imagenet_means_rgb_and_the_weights_normalization_and_none_changes_nothing()
    {
        var gray = new Preprocessing(64, 64, ColorMode.Grayscale);
        Assert.Same(gray, PretrainedWeights.PreprocessingFor("none", "mobilenet-v2", gray));
        var p = PretrainedWeights.PreprocessingFor("imagenet", "mobilenet-v2", gray);
        Assert.Equal((ColorMode.Rgb, 64, 64), (p.Color, p.Height, p.Width));
        Assert.Equal(new[] { 0.485, 0.456, 0.406 }, p.Means);
        Assert.Equal(new[] { 0.229, 0.224, 0.225 }, p.Stds);
        Assert.Equal("mobilenet-v2.IMAGENET1K_V2", p.Weights);
        // Recorded in checkpoints as JSON: the per-channel values survive the round trip.
        var back = System.Text.Json.JsonSerializer.Deserialize<Preprocessing>(System.Text.Json.JsonSerializer.Serialize(p, JsonDefaults.Options), JsonDefaults.Options)!;
        Assert.Equal(p.Means, back.Means);
        Assert.Equal(p.Stds, back.Stds);
        Assert.Equal(p.Weights, back.Weights);
    }

    [Fact]
    public void Per_channel_normalization_is_applied_to_inputs_and_undone_for_images()
    {
        var p = new Preprocessing(2, 2, ColorMode.Rgb) { ChannelMean = WeightTransforms.ImageNetMean, ChannelStd = WeightTransforms.ImageNetStd };
        var pixels = new byte[] { 0, 64, 128, 255, 10, 20, 30, 40, 200, 210, 220, 230 }; // CHW
        using var x = ImageLoader.ToModelInput(pixels, 1, p);
        var got = x.data<float>().ToArray();
        for (var i = 0; i < pixels.Length; i++)
        {
            var c = i / 4;
            var expected = (pixels[i] / 255.0 - WeightTransforms.ImageNetMean[c]) / WeightTransforms.ImageNetStd[c];
            Assert.Equal(expected, got[i], 5);
        }
        var back = new byte[pixels.Length];
        ImageLoader.ToImage(x, p).CopyToChw(back);
        Assert.Equal(pixels, back);
    }

    [Fact]
    [Trait("Category", TestCategories.Parity)]
    public void Imagenet_for_mobilenet_v2_is_torchvisions_default_file_from_the_torch_cache()
    {
        // A random-weight mobilenet_v2 saved by Python in the legacy format under the name of torchvision's DEFAULT file.
        var home = TestFiles.TempFolder();
        var file = Path.Combine(home, "hub", "checkpoints", "mobilenet_v2-7ebf99e0.pth");
        var output = Path.Combine(home, "xy.pt");
        PythonReference.Run("""
            import os, sys, torch, torchvision
            torch.manual_seed(1)
            m = torchvision.models.mobilenet_v2().eval()
            os.makedirs(os.path.dirname(sys.argv[1]), exist_ok=True)
            torch.save(m.state_dict(), sys.argv[1], _use_new_zipfile_serialization=False)
            x = torch.rand(1, 3, 32, 32)
            with torch.no_grad(): y = m.features(x)
            torch.save({'x': x, 'y': y}, sys.argv[2])
            """, file, output);
        using var downloader = new WeightDownloader(new WeightCache(home, home, home, "http://127.0.0.1:9/"));
        using var model = (TransferModel)PretrainedWeights.CreateModel(new ModelSpec("mobilenet-v2", 3, 32, 32, 3), "imagenet", seed: 0, downloader);
        model.eval();
        var io = TensorFile.Load(output);
        using var _ = no_grad();
        var diff = (model.Features.call(io["x"]) - io["y"]).abs().max().item<float>();
        Assert.True(diff < 1e-4, $"max |ours - torchvision| = {diff}");
    }

    [Fact]
    public void Imagenet_for_resnet18_mlnet_comes_from_the_nuget_package_offline()
    {
        using var downloader = new WeightDownloader(WeightCache.FromEnvironment() with { Mirror = "http://127.0.0.1:9/" });
        using var model = (ResNet18Mlnet)PretrainedWeights.CreateModel(new ModelSpec("resnet18-mlnet", 3, 64, 64, 3), "imagenet", seed: 0, downloader);
        var state = model.state_dict();
        // The package's mean image (BGR, 0-255, resized to 64x64) and its batch-norm statistics are in place.
        Assert.InRange(state["features.input.mean_image"].mean().item<float>(), 60f, 200f);
        Assert.False(state["features.bn1.running_var"].eq(1).all().item<bool>());
        Assert.Throws<ArgumentException>(() => PretrainedWeights.CreateModel(new ModelSpec("blog-cnn", 3, 64, 64, 3), "imagenet"));
        Assert.Throws<ArgumentException>(() => PretrainedWeights.CreateModel(new ModelSpec("vgg19", 3, 64, 64, 3), "/no/such/file.pth"));
    }
    [Fact]
    public void Offline_keras_mobilenet_is_not_available_and_says_why_while_the_nuget_resnet_is()
    {
        var home = TestFiles.TempFolder();
        var offline = new WeightCache(home, home, home, "http://127.0.0.1:9/"); // nothing cached, a refused connection
        Assert.False(PretrainedWeights.IsAvailable("imagenet", "mobilenet", offline));
        using (var downloader = new WeightDownloader(offline))
        {
            Assert.Null(PretrainedWeights.TryFileFor("imagenet", "mobilenet", out var reason, downloader));
            Assert.Contains("mobilenet_1_0_224_tf_no_top.h5", reason);
        }
        Assert.False(File.Exists(offline.PathOf(WeightCatalog.DefaultFor("mobilenet")!)));

        // A file in Keras' cache is available and used as is.
        var cached = offline.PathOf(WeightCatalog.DefaultFor("mobilenet")!);
        Directory.CreateDirectory(Path.GetDirectoryName(cached)!);
        File.WriteAllBytes(cached, new byte[] { 1 });
        Assert.True(PretrainedWeights.IsAvailable("imagenet", "mobilenet", offline));
        using (var downloader = new WeightDownloader(offline))
            Assert.Equal(cached, PretrainedWeights.TryFileFor("imagenet", "mobilenet", out _, downloader));

        var restored = WeightCache.FromEnvironment() with { Mirror = "http://127.0.0.1:9/" };
        Assert.True(PretrainedWeights.IsAvailable("imagenet", "resnet18-mlnet", restored));
        Assert.True(PretrainedWeights.IsAvailable("none", "mobilenet", offline));
    }
}
