using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using XRay.Data;
using XRay.Imaging;
using XRay.Models;
using XRay.Synthetic;
using XRay.Weights;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace XRay.Tests.Models;

/// <summary>
/// resnet18-mlnet against the NuGet package it comes from (restored with the build, no network): ONNX Runtime runs the
/// package's two graphs (ResNetPreprocess.onnx, then ResNet18.onnx) on images; our TorchSharp network with the mapped
/// weights must give the same 512 features.
/// </summary>
public class ResNet18MlnetTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static string ResNetPath()
    {
        var path = WeightCache.FromEnvironment().PathOf(WeightCatalog.Find("resnet18-mlnet.imagenet")!);
        Assert.True(File.Exists(path), $"{path} is missing: dotnet restore downloads Microsoft.ML.DnnImageFeaturizer.ResNet18 (PackageDownload in lib/XRay).");
        return path;
    }

    /// <summary>Two images as (2, 3, 224, 224) RGB in [0, 1]: a synthetic chest X-ray, and one through a color map (so B, G and R differ).</summary>
    private static Tensor Images()
    {
        var gray = SyntheticChestXray.Render("PNEUMONIA", 256, new Random(5));
        var colored = Cv.ApplyColorMap(gray);
        var p = new Preprocessing(224, 224, ColorMode.Rgb);
        return stack(new[]
        {
            ImageLoader.Load(Cv.ImEncodePng(gray), "gray.png", p),
            ImageLoader.Load(Cv.ImEncodePng(colored), "colored.png", p),
        });
    }

    private static float[] OnnxRuntimeFeatures(string resnetPath, Tensor rgb01)
    {
        var prepPath = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(resnetPath))!, "ResNetPrepOnnx", "ResNetPreprocess.onnx");
        using var prep = new InferenceSession(prepPath);
        using var resnet = new InferenceSession(resnetPath);
        var result = new List<float>();
        for (var i = 0; i < rgb01.shape[0]; i++)
        {
            // ML.NET hands the graph pixel values 0-255, one image at a time (its graph's batch is 1).
            var pixels = rgb01[i].mul(255.0).contiguous().data<float>().ToArray();
            var input = new DenseTensor<float>(pixels, new[] { 1, 3, 224, 224 });
            using var prepared = prep.Run(new[] { NamedOnnxValue.CreateFromTensor(prep.InputMetadata.Keys.Single(), input) });
            var bgr = prepared.Single().AsTensor<float>().ToDenseTensor();
            using var output = resnet.Run(new[] { NamedOnnxValue.CreateFromTensor(resnet.InputMetadata.Keys.Single(), bgr) });
            result.AddRange(output.Single().AsEnumerable<float>());
        }
        return result.ToArray();
    }

    [Fact]
    public void The_mapped_network_gives_onnx_runtimes_features_on_images()
    {
        var path = ResNetPath();
        using var x = Images();
        var expected = OnnxRuntimeFeatures(path, x);
        Assert.Equal(2 * 512, expected.Length);

        using var model = (ResNet18Mlnet)ModelFactory.Create(new ModelSpec("resnet18-mlnet", 3, 224, 224, 3) { Head = TransferHead.Torchvision });
        model.LoadOnnx(path);
        model.eval();
        using var _ = no_grad();
        using var maps = model.FeatureMaps(x);                                                              // (2, 512, 7, 7)
        using var ours = nn.functional.adaptive_avg_pool2d(maps, new long[] { 1, 1 }).flatten();           // the graph's AveragePool 7x7
        using var reference = tensor(expected);
        var diff = (ours - reference).abs().max().item<float>();
        var scale = reference.abs().max().item<float>();
        output.WriteLine($"max |ours - ONNX Runtime| = {diff}, features up to {scale}");
        Assert.True(scale > 0.1, "ONNX Runtime's features are all near zero: the test would prove nothing");
        Assert.True(diff < 1e-4, $"max |ours - ONNX Runtime| = {diff} (features up to {scale})");
    }

    [Fact]
    public void The_graph_has_the_stage_layout_the_model_rebuilds_and_a_random_network_does_not_match()
    {
        var path = ResNetPath();
        using var x = Images();
        var expected = tensor(OnnxRuntimeFeatures(path, x));
        using var untrained = (ResNet18Mlnet)ModelFactory.Create(new ModelSpec("resnet18-mlnet", 3, 224, 224, 3), seed: 1);
        untrained.eval();
        using var _ = no_grad();
        var ours = nn.functional.adaptive_avg_pool2d(untrained.FeatureMaps(x), new long[] { 1, 1 }).flatten();
        Assert.True((ours - expected).abs().max().item<float>() > 1e-2);
        Assert.Equal(new[] { 2, 2, 2, 3 }, ResNet18Mlnet.BlocksPerStage);
    }
}
