using TorchSharp.PyBridge;
using XRay.Data;
using XRay.Training;
using static TorchSharp.torch;

namespace XRay.Tests.Training;

public class CheckpointTests
{
    [Fact]
    public void Every_truncated_prefix_is_refused_with_a_clear_error()
    {
        var path = Path.Combine(Path.GetTempPath(), $"xray-ckpt-{Guid.NewGuid():N}.pt");
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
        var path = Path.Combine(Path.GetTempPath(), $"xray-ckpt-{Guid.NewGuid():N}.pt");
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
}
