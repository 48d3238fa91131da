using XRay.Training;

namespace XRay.Tests.Training;

public class RunLogTests
{
    /// <summary>Notebook 09's "everything trained so far": the runs of every log under the runs folder, CNN and classic alike.</summary>
    [Fact]
    public void RunsUnder_gathers_every_log_below_a_folder()
    {
        var root = TestFiles.TempFolder();
        try
        {
            foreach (var (folder, name, accuracy) in new[] { ("05-training", "cnn", 0.8), ("10-ml-classifiers", "lightgbm", 0.7) })
            {
                using var log = RunLog.Open(Path.Combine(root, folder, RunLog.FileName));
                log.LogCompletedRun(new CompletedRun { Name = name, Arch = "blog-cnn", Method = "m", ClassNames = new[] { "A", "B" }, ValAccuracy = accuracy });
            }
            var runs = RunLog.RunsUnder(root);
            Assert.Equal(new[] { ("05-training", "cnn", 0.8), ("10-ml-classifiers", "lightgbm", 0.7) },
                runs.Select(r => (r.Log, r.Run.Name!, r.Run.FinalValAccuracy!.Value)));
            Assert.Empty(RunLog.RunsUnder(Path.Combine(root, "missing")));
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }
}
