using System.Globalization;
using XRay.IO;
using XRay.Runtime;
using XRay.TestSupport;
using static TorchSharp.torch;

namespace XRay.Tests.IO;

public class TensorFileTests
{
    [Fact]
    public void Save_and_load_keep_names_dtypes_and_values_even_for_channels_last_tensors()
    {
        var path = Path.Combine(TestFiles.TempFolder(), "tensors.pt");
        using var a = rand(2, 3, 4, 5).ToChannelsLast();
        using var b = tensor(new long[] { 7, 8, 9 });
        TensorFile.Save(new Dictionary<string, Tensor> { ["conv.weight"] = a, ["count"] = b }, path);
        var loaded = TensorFile.Load(path);
        try
        {
            Assert.Equal(new[] { "conv.weight", "count" }, loaded.Keys.Order());
            Assert.True(loaded["conv.weight"].allclose(a, rtol: 0, atol: 0));
            Assert.Equal(ScalarType.Int64, loaded["count"].dtype);
            Assert.Equal(new long[] { 7, 8, 9 }, loaded["count"].ToArray<long>());
        }
        finally
        {
            foreach (var t in loaded.Values) t.Dispose();
        }
    }

    [Fact]
    public void A_truncated_or_foreign_file_is_refused_with_one_clear_error()
    {
        var folder = TestFiles.TempFolder();
        var path = Path.Combine(folder, "whole.pt");
        using var w = randn(4, 3);
        TensorFile.Save(new Dictionary<string, Tensor> { ["w"] = w }, path);
        var bytes = File.ReadAllBytes(path);
        for (var length = 0; length < bytes.Length; length += Math.Max(1, bytes.Length / 97))
        {
            var e = Assert.Throws<InvalidDataException>(() => TensorFile.LoadFromBytes(bytes[..length], "cut.pt"));
            Assert.Contains("cut.pt", e.Message);
        }
        File.WriteAllText(path, "these are not tensors");
        Assert.Contains("not a readable tensor file", Assert.Throws<InvalidDataException>(() => TensorFile.Load(path)).Message);
        Assert.Throws<FileNotFoundException>(() => TensorFile.Load(Path.Combine(folder, "missing.pt")));
    }

    [Fact]
    public void Saving_replaces_the_file_atomically()
    {
        var folder = TestFiles.TempFolder();
        var path = Path.Combine(folder, "model.pt");
        using var a = ones(2);
        using var b = zeros(3);
        TensorFile.Save(new Dictionary<string, Tensor> { ["x"] = a }, path);
        TensorFile.Save(new Dictionary<string, Tensor> { ["x"] = b }, path);
        var loaded = TensorFile.Load(path);
        Assert.Equal(new long[] { 3 }, loaded["x"].shape);
        loaded["x"].Dispose();
        Assert.Single(Directory.GetFiles(folder));
    }

    /// <summary>Our files are what Python's torch.load reads, and we read what Python's torch.save writes (an OrderedDict state dict too).</summary>
    [Fact]
    [Trait("Category", TestCategories.Parity)]
    public void Files_move_both_ways_between_us_and_python_torch()
    {
        var folder = TestFiles.TempFolder();
        var ours = Path.Combine(folder, "ours.pt");
        using var w = tensor(new float[] { 1.5f, -2, 3, 4.25f, 0, 6 }, new long[] { 2, 3 });
        using var n = tensor(new long[] { 5 });
        TensorFile.Save(new Dictionary<string, Tensor> { ["fc.weight"] = w, ["bn.num_batches_tracked"] = n }, ours);
        var printed = PythonReference.Run(
            "import sys, torch; d = torch.load(sys.argv[1]); " +
            "print(sorted(d.keys()), d['fc.weight'].shape, d['fc.weight'].sum().item(), d['bn.num_batches_tracked'].dtype)", ours);
        Assert.Equal("['bn.num_batches_tracked', 'fc.weight'] torch.Size([2, 3]) 12.75 torch.int64", printed);

        var theirs = Path.Combine(folder, "theirs.pt");
        var expected = PythonReference.Run(
            "import sys, torch; torch.manual_seed(0); m = torch.nn.Linear(3, 2); " +
            "torch.save(m.state_dict(), sys.argv[1]); print(repr(m.weight.flatten().tolist()))", theirs);
        var loaded = TensorFile.Load(theirs);
        Assert.Equal(new[] { "bias", "weight" }, loaded.Keys.Order());
        var pythonValues = expected.Trim('[', ']').Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(pythonValues, loaded["weight"].ToArray<float>());
        foreach (var t in loaded.Values) t.Dispose();
    }
}
