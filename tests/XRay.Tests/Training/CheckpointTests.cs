using TorchSharp.PyBridge;
using XRay.Runtime;
using XRay.Data;
using XRay.Training;
using static TorchSharp.torch;

namespace XRay.Tests.Training;

public class CheckpointTests
{
    [Fact]
    public void Every_truncated_prefix_is_refused_with_a_clear_error()
    {
        var path = Path.Combine(TestFiles.TempFolder(), "xray-ckpt.pt");
        try
        {
            using var model = nn.Linear(3, 2);
            using var optimizer = optim.Adam(model.parameters());
            Checkpoint.Save(path, model, optimizer, 1, new History(new[] { new EpochRecord(1, 0.5, 0.7, 0.6, 0.65, 1e-3, 1) }),
                new[] { "NORMAL", "PNEUMONIA" }, new Preprocessing(8, 8));
            var bytes = File.ReadAllBytes(path);
            using (var whole = Checkpoint.Load(path)) Assert.Equal(1, whole.Epoch);
            for (var length = 0; length < bytes.Length; length++)
            {
                var e = Assert.Throws<InvalidDataException>(() => Checkpoint.FromBytes(bytes[..length], "cut.pt"));
                Assert.Contains("'cut.pt' cannot be used", e.Message);
            }
            // A plain state dict is not a checkpoint either.
            model.save_py(path);
            Assert.Contains("no checkpoint metadata", Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path)).Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Restores_weights_optimizer_and_metadata()
    {
        var path = Path.Combine(TestFiles.TempFolder(), "xray-ckpt.pt");
        try
        {
            using var model = nn.Linear(3, 2);
            using var optimizer = optim.Adam(model.parameters(), lr: 0.01);
            optimizer.LearningRate = 0.004;
            var preprocessing = new Preprocessing(150, 150, ColorMode.Rgb, 0.5, 0.25);
            Checkpoint.Save(path, model, optimizer, 4, new History(), new[] { "a", "b", "c" }, preprocessing);
            using var other = nn.Linear(3, 2);
            using var otherOptimizer = optim.Adam(other.parameters(), lr: 0.01);
            using var ckpt = Checkpoint.Load(path);
            ckpt.RestoreInto(other, otherOptimizer);
            Assert.True(other.weight.allclose(model.weight, rtol: 0, atol: 0));
            Assert.Equal(0.004, otherOptimizer.LearningRate, 12);
            Assert.Equal(preprocessing, ckpt.Preprocessing);
            Assert.Equal(4, ckpt.Epoch);
            Assert.Null(ckpt.ModelSpec);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// A checkpoint from before calibration existed (no Temperature in its metadata) reads as T = 1; SaveTemperature
    /// stores T and keeps the weights, optimizer state and the rest of the metadata as they were.
    /// </summary>
    [Fact]
    public void An_old_checkpoint_reads_as_uncalibrated_and_save_temperature_keeps_everything_else()
    {
        var path = Path.Combine(TestFiles.TempFolder(), "checkpoint.pt");
        using var model = nn.Linear(3, 2);
        using var optimizer = optim.Adam(model.parameters(), lr: 0.01);
        Checkpoint.Save(path, model, optimizer, 3, new History(), new[] { "a", "b" }, new Preprocessing(8, 8));
        // Rewrite the metadata without the Temperature key, as an older version wrote it.
        var tensors = XRay.IO.TensorFile.Load(path);
        var meta = System.Text.Json.Nodes.JsonNode.Parse(tensors["meta"].data<byte>().ToArray())!.AsObject();
        Assert.True(meta.Remove("Temperature"));
        var bytes = System.Text.Encoding.UTF8.GetBytes(meta.ToJsonString());
        tensors["meta"] = ((ReadOnlySpan<byte>)bytes).ToTensor(bytes.Length);
        XRay.IO.TensorFile.Save(tensors, path);
        using (var old = Checkpoint.Load(path)) Assert.Equal(1.0, old.Temperature);

        Checkpoint.SaveTemperature(path, 1.75);

        using var saved = Checkpoint.Load(path);
        Assert.Equal(1.75, saved.Temperature);
        Assert.Equal(3, saved.Epoch);
        Assert.Equal(new[] { "a", "b" }, saved.ClassNames);
        using var other = nn.Linear(3, 2);
        using var otherOptimizer = optim.Adam(other.parameters(), lr: 0.01);
        saved.RestoreInto(other, otherOptimizer);
        Assert.True(other.weight.allclose(model.weight, rtol: 0, atol: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Checkpoint.SaveTemperature(path, 0));
        Assert.Throws<FileNotFoundException>(() => Checkpoint.SaveTemperature(path + ".missing", 2));
        Assert.Equal(new[] { path }, Directory.GetFiles(Path.GetDirectoryName(path)!)); // atomic: no temp file left
    }
}
