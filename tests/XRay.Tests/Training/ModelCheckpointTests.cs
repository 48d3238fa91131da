using XRay.Training;

namespace XRay.Tests.Training;

public class ModelCheckpointTests
{
    [Fact]
    public void Save_best_only_writes_when_the_monitored_value_improves()
    {
        var folder = TestFiles.TempFolder("xray-ckpt-");
        try
        {
            using var run = new ScriptedTraining();
            var checkpoint = new ModelCheckpoint(Path.Combine(folder, "best-{epoch:02d}-{val_accuracy:.2f}.pt"), "val_accuracy", saveBestOnly: true);
            run.Run(checkpoint, new[] { 0.5, 0.7, 0.6, 0.8 }, "val_accuracy");
            Assert.Equal(new[] { "best-01-0.50.pt", "best-02-0.70.pt", "best-04-0.80.pt" }, checkpoint.Saved.Select(Path.GetFileName));
            using var loaded = Checkpoint.Load(checkpoint.Saved[^1]);
            Assert.Equal(3f, loaded.ModelState["weight"].item<float>()); // saved at 0-based epoch 3
            Assert.Equal(new[] { "a", "b" }, loaded.ClassNames);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }
}
