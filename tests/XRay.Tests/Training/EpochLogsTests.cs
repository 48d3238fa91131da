using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using TorchSharp;
using XRay.IO;
using XRay.Runtime;
using XRay.Models;
using XRay.Training;
using static TorchSharp.torch;

namespace XRay.Tests.Training;

/// <summary>The epoch logs as a dictionary of named values: a new metric is one line, and every consumer carries it.</summary>
public class EpochLogsTests
{
    private static readonly TrainingOptions Cpu = new() { Epochs = 3, LearningRate = 3e-3, Device = CPU, Seed = 7 };

    [Fact]
    public void A_new_metric_is_one_line_that_early_stopping_monitors_and_history_checkpoint_and_run_log_keep()
    {
        var folder = TestFiles.TempFolder();
        try
        {
            using var train = PatternData.Create(96, 24, 3, seed: 1);
            using var val = PatternData.Create(48, 24, 3, seed: 2, shuffle: false);
            using var model = ModelFactory.Create("blog-cnn", 1, 24, 24, 3, seed: 11);
            // The one line: balanced accuracy, the mean of the per-class recalls.
            var metrics = EpochMetric.Standard.Append(new EpochMetric("balanced_accuracy", r => r.Classes.Average(c => c.Recall))).ToList();
            var stopping = new EarlyStopping("val_balanced_accuracy", patience: 5);
            var history = Trainer.Fit(model, train, val, Cpu with { OutputDirectory = folder, Metrics = metrics }, new[] { stopping });

            Assert.Equal(3, history.Epochs.Count);
            // Balanced accuracy is macro recall, which Fit logs already: the new metric is computed, not copied.
            Assert.All(history.Epochs, e => Assert.Equal(e.ValRecall!.Value, e.Get("val_balanced_accuracy")!.Value, 12));
            Assert.All(history.Epochs, e => Assert.Equal(e.Recall!.Value, e.Get("balanced_accuracy")!.Value, 12));
            Assert.Equal(history["val_balanced_accuracy"].Max(), stopping.Best); // monitored upwards ("acc" in the name)
            Assert.Equal(new[] { "loss", "accuracy", "precision", "recall", "f1", "balanced_accuracy", "val_loss", "val_accuracy",
                "val_precision", "val_recall", "val_f1", "val_balanced_accuracy", "lr" }, history.Epochs[0].Logs.Keys);

            Assert.Equal(history.Epochs, History.FromJson(File.ReadAllText(Path.Combine(folder, HistoryLogger.FileName))).Epochs);
            using (var checkpoint = Checkpoint.Load(Path.Combine(folder, CheckpointWriter.FileName)))
                Assert.Equal(history.Epochs, checkpoint.History.Epochs);
            using var log = RunLog.Open(Path.Combine(folder, RunLog.FileName));
            Assert.Equal(history.Epochs, log.Epochs(log.Runs().Single().Id));
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void History_json_round_trips_any_logged_name_and_epochs_that_lack_one()
    {
        var history = new History(new[]
        {
            new EpochRecord(1, new Dictionary<string, double> { ["loss"] = 0.9, ["auc"] = 0.6, ["lr"] = 1e-3 }, 2.5),
            new EpochRecord(2, new Dictionary<string, double> { ["loss"] = double.NaN, ["val_loss"] = 0.7, ["lr"] = 5e-4 }, 2.25),
        });
        var json = history.ToJson();
        Assert.Equal(new[] { "loss", "auc", "lr", "val_loss" }, history.MetricNames);
        Assert.Equal(history.Epochs, History.FromJson(json).Epochs);
        Assert.Equal(new double?[] { 0.6, null }, history["auc"]);
    }

    [Fact]
    public void A_checkpoint_written_before_the_logs_were_a_dictionary_reads_its_history_and_resumes_its_callbacks()
    {
        var path = Path.Combine(TestFiles.TempFolder(), "xray-old-ckpt.pt");
        try
        {
            using var training = new ScriptedTraining();
            var stopping = new EarlyStopping("val_loss", patience: 3);
            training.Run(stopping, new[] { 1.0, 0.8, 0.9 });
            Checkpoint.Save(path, training.Context.Model, training.Optimizer, 3, new History(), new[] { "a", "b" },
                training.Context.Preprocessing, callbacks: new[] { stopping });
            // The first format: one typed property per metric (null when absent), and callback keys without the mode.
            RewriteMeta(path, meta =>
            {
                meta["History"] = JsonNode("""
                    [{"Epoch":1,"Loss":0.5,"Accuracy":0.75,"ValLoss":null,"ValAccuracy":null,"LearningRate":0.001,"Seconds":1.5,
                      "Precision":0.6,"Recall":0.7,"F1":0.65,"ValPrecision":null,"ValRecall":null,"ValF1":null}]
                    """);
                var callbacks = meta["Callbacks"]!.AsObject();
                var state = callbacks["EarlyStopping[val_loss,min]"]!.DeepClone();
                callbacks.Remove("EarlyStopping[val_loss,min]");
                callbacks["EarlyStopping[val_loss]"] = state;
            });

            using var old = Checkpoint.Load(path);
            var epoch = Assert.Single(old.History.Epochs);
            Assert.Equal(new[] { "loss", "accuracy", "precision", "recall", "f1", "lr" }, epoch.Logs.Keys);
            Assert.Equal((0.5, 0.75, 0.65, 0.001, 1.5), (epoch.Loss, epoch.Accuracy, epoch.F1!.Value, epoch.LearningRate, epoch.Seconds));
            Assert.Null(epoch.ValLoss);

            var resumed = new EarlyStopping("val_loss", patience: 3);
            resumed.OnFitStart(training.Context);
            old.RestoreCallbacks(new[] { resumed });
            Assert.Equal((stopping.Wait, stopping.Best), (resumed.Wait, resumed.Best));
            Assert.Equal((1, 0.8), (resumed.Wait, resumed.Best));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void State_keys_hold_the_monitors_mode_so_a_minimiser_and_a_maximiser_of_one_metric_both_resume()
    {
        var min = new EarlyStopping("val_loss");
        var max = new EarlyStopping("val_loss", mode: MonitorMode.Max);
        Assert.Equal("EarlyStopping[val_loss,min]", min.StateKey);
        Assert.Equal("EarlyStopping[val_loss,max]", max.StateKey);
        Assert.Equal("ReduceLROnPlateau[val_recall,max]", new ReduceLROnPlateau("val_recall").StateKey);
        Assert.Equal("ModelCheckpoint[val_accuracy,max:best.pt]", new ModelCheckpoint("runs/best.pt", "val_accuracy").StateKey);
    }

    [Fact]
    public void A_run_log_of_the_first_version_reads_its_epochs_and_takes_new_runs_with_any_metric()
    {
        var folder = TestFiles.TempFolder();
        try
        {
            var path = Path.Combine(folder, RunLog.FileName);
            using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
            {
                connection.Open();
                using var cmd = connection.CreateCommand();
                cmd.CommandText = """
                    CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT, arch TEXT, model_type TEXT, input_shape TEXT,
                        classes TEXT, optimizer TEXT, learning_rate REAL, batch_size INTEGER, epochs_planned INTEGER, seed INTEGER,
                        device TEXT, train_samples INTEGER, hyperparameters TEXT NOT NULL, started_utc TEXT NOT NULL, finished_utc TEXT,
                        duration_s REAL, status TEXT NOT NULL, epochs_completed INTEGER, final_loss REAL, final_accuracy REAL,
                        final_val_loss REAL, final_val_accuracy REAL, best_val_accuracy REAL, checkpoint_path TEXT);
                    CREATE TABLE epochs (run_id INTEGER NOT NULL REFERENCES runs(id), epoch INTEGER NOT NULL, loss REAL, accuracy REAL,
                        val_loss REAL, val_accuracy REAL, lr REAL, seconds REAL, PRIMARY KEY (run_id, epoch));
                    INSERT INTO runs (id, optimizer, seed, device, hyperparameters, started_utc, status)
                        VALUES (1, 'Adam', 42, 'cpu', '{}', '2026-01-01T00:00:00.0000000Z', 'completed');
                    INSERT INTO epochs VALUES (1, 1, 0.5, 0.75, 0.6, 0.7, 0.001, 2.0), (1, 2, NULL, 0.8, NULL, NULL, 0.001, 2.5);
                    """;
                cmd.ExecuteNonQuery();
            }
            using var log = RunLog.Open(path);
            var epochs = log.Epochs(1);
            Assert.Equal(new[] { "loss", "accuracy", "val_loss", "val_accuracy", "lr" }, epochs[0].Logs.Keys);
            Assert.Equal((0.5, 0.75, 0.6, 0.7, 2.0), (epochs[0].Loss, epochs[0].Accuracy, epochs[0].ValLoss!.Value, epochs[0].ValAccuracy!.Value, epochs[0].Seconds));
            Assert.True(double.IsNaN(epochs[1].Loss)); // a NaN loss SQLite stored as NULL
            Assert.Null(epochs[1].ValLoss);

            var record = new EpochRecord(1, new Dictionary<string, double> { ["loss"] = 0.4, ["val_auc"] = 0.91, ["lr"] = 1e-3 }, 3);
            log.LogEpoch(1, record with { Epoch = 3 });
            Assert.Equal(record with { Epoch = 3 }, log.Epochs(1)[2]);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    private static System.Text.Json.Nodes.JsonNode JsonNode(string json) => System.Text.Json.Nodes.JsonNode.Parse(json)!;

    /// <summary>Edits a checkpoint's JSON part in place, as a file of an older version would have it.</summary>
    private static void RewriteMeta(string path, Action<System.Text.Json.Nodes.JsonObject> edit)
    {
        var tensors = TensorFile.LoadFromBytes(File.ReadAllBytes(path), path);
        try
        {
            var meta = JsonNode(Encoding.UTF8.GetString(tensors["meta"].ToArray<byte>())).AsObject();
            edit(meta);
            var bytes = Encoding.UTF8.GetBytes(meta.ToJsonString());
            tensors["meta"].Dispose();
            tensors["meta"] = ((ReadOnlySpan<byte>)bytes).ToTensor(bytes.Length);
            TensorFile.Save(tensors, path);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }
}
