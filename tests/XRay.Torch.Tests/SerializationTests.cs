using XRay.TestSupport;

namespace XRay.Torch.Tests;

public class SerializationTests
{
    [Fact]
    public void Save_and_load_keep_names_order_dtypes_and_values()
    {
        var path = Path.Combine(TestData.TempFolder(), "tensors.pt");
        using var a = tensor(new float[] { 1, 2, 3, 4 }, new long[] { 2, 2 });
        using var b = tensor(new long[] { 7, 8, 9 });
        using var c = tensor(3.5);
        save(new Dictionary<string, Tensor> { ["layer.weight"] = a, ["count"] = b, ["scalar"] = c }, path);
        var loaded = load(path);
        try
        {
            Assert.Equal(new[] { "layer.weight", "count", "scalar" }, loaded.Keys);
            Assert.True(loaded["layer.weight"].equal(a));
            Assert.Equal(ScalarType.Int64, loaded["count"].dtype);
            Assert.True(loaded["count"].equal(b));
            Assert.Equal(3.5, loaded["scalar"].item<double>());
        }
        finally
        {
            foreach (var t in loaded.Values) t.Dispose();
        }
    }

    /// <summary>Truncated at any byte, a file is refused with a clear error; the process never crashes.</summary>
    [Fact]
    public void A_truncated_file_is_refused_at_every_length()
    {
        var folder = TestData.TempFolder();
        var path = Path.Combine(folder, "whole.pt");
        using var w = randn(4, 3);
        save(new Dictionary<string, Tensor> { ["w"] = w }, path);
        var bytes = File.ReadAllBytes(path);
        var cut = Path.Combine(folder, "cut.pt");
        for (var length = 0; length < bytes.Length; length++)
        {
            File.WriteAllBytes(cut, bytes[..length]);
            var e = Assert.ThrowsAny<Exception>(() => load(cut));
            Assert.True(e is InvalidDataException or ArgumentException, $"length {length}: {e.GetType().Name}: {e.Message}");
            if (length > 0) Assert.Contains("cut.pt", e.Message);
        }
        Assert.Throws<FileNotFoundException>(() => load(Path.Combine(folder, "missing.pt")));
    }

    [Fact]
    public void A_file_that_is_not_a_tensor_dict_says_how_to_export_one()
    {
        var path = Path.Combine(TestData.TempFolder(), "notes.pt");
        File.WriteAllText(path, "these are not tensors");
        var e = Assert.Throws<InvalidDataException>(() => load(path));
        Assert.Contains("torch.save(dict(model.state_dict()), path)", e.Message);
    }

    [Fact]
    public void Saving_replaces_the_file_atomically()
    {
        var folder = TestData.TempFolder();
        var path = Path.Combine(folder, "model.pt");
        using var a = ones(2);
        using var b = zeros(3);
        save(new Dictionary<string, Tensor> { ["x"] = a }, path);
        save(new Dictionary<string, Tensor> { ["x"] = b }, path);
        var loaded = load(path);
        Assert.Equal(new long[] { 3 }, loaded["x"].shape);
        loaded["x"].Dispose();
        Assert.Single(Directory.GetFiles(folder));
    }

    /// <summary>Our files are what Python's torch.load reads, and we read what Python's torch.save writes.</summary>
    [Fact]
    public void Files_move_both_ways_between_us_and_python_torch()
    {
        var folder = TestData.TempFolder();
        var ours = Path.Combine(folder, "ours.pt");
        using var w = tensor(new float[] { 1.5f, -2, 3, 4.25f, 0, 6 }, new long[] { 2, 3 });
        using var n = tensor(new long[] { 5 });
        save(new Dictionary<string, Tensor> { ["fc.weight"] = w, ["bn.num_batches_tracked"] = n }, ours);
        var printed = PythonReference.Run(
            "import sys, torch; d = torch.load(sys.argv[1]); " +
            "print(list(d.keys()), d['fc.weight'].shape, d['fc.weight'].sum().item(), d['bn.num_batches_tracked'].dtype)", ours);
        Assert.Equal("['fc.weight', 'bn.num_batches_tracked'] torch.Size([2, 3]) 12.75 torch.int64", printed);

        var theirs = Path.Combine(folder, "theirs.pt");
        PythonReference.Run(
            "import sys, torch; torch.manual_seed(0); m = torch.nn.Linear(3, 2); " +
            "torch.save(dict(m.state_dict()), sys.argv[1]); print(m.weight.sum().item())", theirs);
        using var linear = nn.Linear(3, 2);
        linear.load(theirs);
        var expected = PythonReference.Run(
            "import sys, torch; d = torch.load(sys.argv[1]); print(repr(d['weight'].flatten().tolist()))", theirs);
        var values = linear.weight.ToArray<float>();
        var pythonValues = expected.Trim('[', ']').Split(',').Select(v => float.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(pythonValues, values);
    }
}
