using TorchSharp.PyBridge;
using System.Diagnostics;
using XRay.Models;
using static TorchSharp.torch;

namespace XRay.Tests.Models;

/// <summary>
/// torchvision's models (random init, no download) exported by Debian's python3-torchvision load into ours and give
/// the same outputs. Files go to a temp folder.
/// </summary>
[Trait("Category", TestCategories.Parity)]
public class TorchvisionParityTests
{
    private static readonly string Python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    private static void RunPython(string script)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        process.StandardInput.Write(script);
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var error = stderr.Result;
        if (error.Contains("No module named"))
            Assert.Fail($"python3 cannot import torchvision ({error.Trim().Split('\n')[^1]}). Run `./build.sh setup` (installs python3-torchvision).");
        Assert.True(process.ExitCode == 0, $"python3 failed: {error}");
    }

    private static void Compare(string arch, string pythonModel, string exported, string forward, TransferHead head, Func<TransferModel, Tensor, Tensor> ours)
    {
        var folder = TestFiles.TempFolder("xray-parity-");
        try
        {
            var (weights, input) = (Path.Combine(folder, "w.pt"), Path.Combine(folder, "xy.pt"));
            RunPython($$"""
                import torch, torchvision
                torch.manual_seed(0)
                m = {{pythonModel}}.eval()
                sd = {k: v for k, v in m.state_dict().items() if {{exported}}}
                torch.save(sd, "{{weights}}")
                x = torch.rand(2, 3, 32, 32)
                with torch.no_grad():
                    y = {{forward}}
                torch.save({"x": x, "y": y}, "{{input}}")
                """);
            using var model = (TransferModel)ModelFactory.Create(new ModelSpec(arch, 3, 32, 32, 10) { Head = head });
            model.LoadPretrained(weights, includeClassifier: head == TransferHead.Torchvision);
            model.eval();
            var io = XRay.IO.TensorFile.Load(input);
            using var x = io["x"];
            using var expected = io["y"];
            using var _ = no_grad();
            using var got = ours(model, x);
            Assert.Equal(expected.shape, got.shape);
            using var diff = (got - expected).abs().max();
            Assert.True(diff.item<float>() < 1e-4, $"max |ours - torchvision| = {diff.item<float>()}");
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void MobileNetV2_state_dict_loads_and_gives_torchvisions_logits()
    {
        Compare("mobilenet-v2", "torchvision.models.mobilenet_v2(num_classes=10)", "True", "m(x)", TransferHead.Torchvision,
            (model, x) => model.call(x));
    }

    [Fact]
    public void Vgg19_features_load_and_give_torchvisions_feature_maps()
    {
        // The full VGG19 is 575 MB (its 25088x4096 dense layer); the 20 M-parameter features are what transfer learning uses.
        Compare("vgg19", "torchvision.models.vgg19(num_classes=10)", "k.startswith('features.')", "m.features(x)", TransferHead.Seed001,
            (model, x) => model.Features.call(x));
    }

    [Fact]
    public void Grayscale_model_with_rgb_weights_sees_a_gray_image_as_the_rgb_model_sees_it_replicated()
    {
        var folder = TestFiles.TempFolder("xray-gray-");
        try
        {
            using var rgb = (TransferModel)ModelFactory.Create("mobilenet-v2", 3, 32, 32, 2, seed: 3);
            var path = Path.Combine(folder, "rgb.pt");
            rgb.save_py(path);
            using var gray = (TransferModel)ModelFactory.Create("mobilenet-v2", 1, 32, 32, 2, seed: 4);
            gray.LoadPretrained(path, includeClassifier: true);
            rgb.eval();
            gray.eval();
            using var _ = no_grad();
            using var x = rand(1, 1, 32, 32);
            using var x3 = cat(new[] { x, x, x }, 1);
            using var a = rgb.call(x3);
            using var b = gray.call(x);
            using var diff = (a - b).abs().max();
            Assert.True(diff.item<float>() < 1e-4);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }
}
