using XRay.IO;
using XRay.Models;
using XRay.TestSupport;
using XRay.Weights;
using static TorchSharp.torch;

namespace XRay.Tests.IO;

/// <summary>
/// torch.save's legacy format (torchvision's V1 files) against Debian's python3-torch: Python saves the same state dict
/// both ways into a TORCH_HOME with hub-style names; both load into identical tensors, and the model built from
/// either gives torchvision's outputs.
/// </summary>
[Trait("Category", TestCategories.Parity)]
public class LegacyTorchFileTests
{
    private const string SaveBothWays = """
        import hashlib, os, sys, torch, torchvision
        home = sys.argv[1]
        ck = os.path.join(home, 'hub', 'checkpoints'); os.makedirs(ck, exist_ok=True)
        def save(obj, stem, legacy):
            tmp = os.path.join(ck, 'tmp')
            torch.save(obj, tmp, _use_new_zipfile_serialization=not legacy)
            name = f"{stem}_{'legacy' if legacy else 'zip'}-{hashlib.sha256(open(tmp, 'rb').read()).hexdigest()[:8]}.pth"
            os.rename(tmp, os.path.join(ck, name)); print(name)
        torch.manual_seed(0)
        m = torchvision.models.mobilenet_v2(num_classes=10).eval()
        with torch.no_grad():
            for mod in m.modules():
                if isinstance(mod, torch.nn.BatchNorm2d):
                    mod.running_mean.uniform_(-0.2, 0.2); mod.running_var.uniform_(0.5, 1.5)
        for legacy in (True, False): save(m.state_dict(), 'mobilenet_v2', legacy)
        base = torch.arange(24, dtype=torch.float32).reshape(4, 6)
        odd = {'transposed': base.t(), 'slice': base[1:, 2:], 'long': torch.arange(5) * 10**12, 'double': torch.rand(3, dtype=torch.float64),
               'int': torch.tensor([-7, 8], dtype=torch.int32), 'byte': torch.tensor([0, 255], dtype=torch.uint8), 'scalar': torch.tensor(3.5)}
        save(odd, 'odd', True)
        save({k: v.contiguous() for k, v in odd.items()}, 'odd', False)  # PyBridge reads contiguous tensors only
        x = torch.rand(2, 3, 64, 64)
        with torch.no_grad(): y = m(x)
        torch.save({'x': x, 'y': y}, os.path.join(home, 'xy.pt'))
        """;

    private static (string Home, string[] Names) Files()
    {
        var home = TestFiles.TempFolder();
        var names = PythonReference.Run(SaveBothWays, home).Split('\n').Select(l => l.Trim()).ToArray();
        Assert.Equal(4, names.Length);
        return (home, names);
    }

    private static void AssertSame(Dictionary<string, Tensor> a, Dictionary<string, Tensor> b)
    {
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var (key, t) in a)
        {
            Assert.Equal(b[key].dtype, t.dtype);
            Assert.Equal(b[key].shape, t.shape);
            Assert.True(t.eq(b[key]).all().item<bool>(), $"{key} differs");
        }
    }

    [Fact]
    public void Legacy_and_zip_files_from_python_load_into_identical_tensors()
    {
        var (home, names) = Files();
        string P(string n) => Path.Combine(home, "hub", "checkpoints", n);
        Assert.True(LegacyTorchFile.Detect(File.OpenRead(P(names[0]))));
        AssertSame(TensorFile.Load(P(names[0])), TensorFile.Load(P(names[1])));
        var legacy = TensorFile.Load(P(names[2]));
        AssertSame(legacy, TensorFile.Load(P(names[3])));
        // Views of one storage (a transpose, an offset slice) come back with their own values, not the storage's.
        Assert.Equal(new float[] { 0, 6, 12, 18, 1 }, legacy["transposed"].flatten().data<float>().Take(5).ToArray());
        Assert.Equal(new float[] { 8, 9, 10, 11, 14 }, legacy["slice"].flatten().data<float>().Take(5).ToArray());
        Assert.Equal(4_000_000_000_000L, legacy["long"][4].item<long>());
    }

    [Fact]
    public async Task A_file_python_put_in_torch_home_serves_the_cs_model_with_torchvisions_outputs_in_either_format()
    {
        var (home, names) = Files();
        var io = TensorFile.Load(Path.Combine(home, "xy.pt"));
        // No server behind the mirror: a file already in the cache is used as is, as torch hub does.
        var cache = new WeightCache(home, home, home, "http://127.0.0.1:9/");
        using var downloader = new WeightDownloader(cache);
        foreach (var name in names.Take(2))
        {
            var set = new WeightSet("mobilenet-v2.TEST", "mobilenet-v2", WeightSource.Torchvision, name, WeightCatalog.TorchvisionBaseUrl,
                WeightTransforms.Torchvision(256), null, false);
            var path = await downloader.EnsureAsync(set);
            using var model = (TransferModel)ModelFactory.Create(new ModelSpec("mobilenet-v2", 3, 64, 64, 10) { Head = TransferHead.Torchvision });
            model.LoadPretrained(path, includeClassifier: true);
            model.eval();
            using var _ = no_grad();
            using var y = model.call(io["x"]);
            var diff = (y - io["y"]).abs().max().item<float>();
            Assert.True(diff < 1e-4, $"{name}: max |C# - Python| = {diff}");
        }
    }

    [Fact]
    public void A_truncated_legacy_file_is_refused_with_its_name()
    {
        var (home, names) = Files();
        var path = Path.Combine(home, "hub", "checkpoints", names[0]);
        var bytes = File.ReadAllBytes(path);
        var cut = Path.Combine(home, "cut.pth");
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);
        var error = Assert.Throws<InvalidDataException>(() => TensorFile.Load(cut));
        Assert.Contains(cut, error.Message);
        Assert.Contains("truncated", error.Message);
    }
}
