using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using XRay.Data;
using XRay.Models;
using static TorchSharp.torch;

namespace XRay.Training;

/// <summary>
/// Every Fit recorded in a SQLite file (runs.sqlite in the output folder): hyperparameters, per-epoch metrics, final
/// metrics, checkpoint path and duration. A notebook tabulates runs side by side, as seed 003's comparison table:
/// <code>using var log = RunLog.Open("runs/runs.sqlite"); display(log.Runs());</code>
/// </summary>
public sealed class RunLog : IDisposable
{
    public const string FileName = "runs.sqlite";
    private readonly SqliteConnection connection;

    private RunLog(SqliteConnection connection) => this.connection = connection;

    public string Path { get; private init; } = "";

    // SQLite's native library, found next to XRay.dll also when a notebook kernel loads it from elsewhere.
    static RunLog() => XRay.Runtime.NativeLibraries.ResolveByPath(typeof(SQLitePCL.SQLite3Provider_e_sqlite3).Assembly, "e_sqlite3", "libe_sqlite3.so");

    /// <summary>Opens (creating if needed) the run log at <paramref name="path"/>.</summary>
    public static RunLog Open(string path)
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        var log = new RunLog(connection) { Path = path };
        log.Execute("""
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS runs (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT, arch TEXT, model_type TEXT, input_shape TEXT, classes TEXT,
                optimizer TEXT, learning_rate REAL, batch_size INTEGER, epochs_planned INTEGER, seed INTEGER,
                device TEXT, train_samples INTEGER, hyperparameters TEXT NOT NULL,
                started_utc TEXT NOT NULL, finished_utc TEXT, duration_s REAL, status TEXT NOT NULL,
                epochs_completed INTEGER, final_loss REAL, final_accuracy REAL, final_val_loss REAL, final_val_accuracy REAL,
                best_val_accuracy REAL, checkpoint_path TEXT);
            CREATE TABLE IF NOT EXISTS epochs (
                run_id INTEGER NOT NULL REFERENCES runs(id), epoch INTEGER NOT NULL,
                loss REAL, accuracy REAL, val_loss REAL, val_accuracy REAL, lr REAL, seconds REAL,
                PRIMARY KEY (run_id, epoch));
            CREATE TABLE IF NOT EXISTS epoch_logs (
                run_id INTEGER NOT NULL, epoch INTEGER NOT NULL, position INTEGER NOT NULL, name TEXT NOT NULL, value REAL,
                PRIMARY KEY (run_id, epoch, name),
                FOREIGN KEY (run_id, epoch) REFERENCES epochs(run_id, epoch));
            """);
        log.AddMissingColumns("epochs", MacroColumns);
        return log;
    }

    // Added after the first version of the log: older files get the columns on open (NULL for their epochs).
    private static readonly string[] MacroColumns = { "precision", "recall", "f1", "val_precision", "val_recall", "val_f1" };

    // The epochs table's metric columns (the first version's and the macro ones) by the log name each holds. Logs written
    // before epoch_logs existed read back from these; newer ones fill them too, for queries written against them.
    private static readonly string[] StandardColumns = new[] { "loss", "accuracy", "val_loss", "val_accuracy", "lr" }.Concat(MacroColumns).ToArray();

    private void AddMissingColumns(string table, IEnumerable<string> columns)
    {
        var existing = new HashSet<string>();
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = $"PRAGMA table_info({table});";
            using var r = cmd.ExecuteReader();
            while (r.Read()) existing.Add(r.GetString(1));
        }
        foreach (var column in columns.Where(c => !existing.Contains(c)))
            Execute($"ALTER TABLE {table} ADD COLUMN {column} REAL;");
    }

    /// <summary>Records the fit in <paramref name="context"/> as started; returns its id.</summary>
    public long StartRun(TrainingContext context, string? checkpointPath)
    {
        var (model, options) = (context.Model, context.Options);
        var spec = (model as ClassifierModel)?.Spec;
        using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            INSERT INTO runs (name, arch, model_type, input_shape, classes, optimizer, learning_rate, batch_size, epochs_planned,
                              seed, device, train_samples, hyperparameters, started_utc, status, checkpoint_path)
            VALUES ($name, $arch, $type, $shape, $classes, $opt, $lr, $batch, $epochs, $seed, $device, $samples, $hp, $started, 'running', $ckpt);
            SELECT last_insert_rowid();
            """;
        cmd.Parameters.AddWithValue("$name", (object?)options.RunName ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$arch", (object?)spec?.Arch ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$type", model.GetType().Name);
        cmd.Parameters.AddWithValue("$shape", string.Join("x", context.Preprocessing.InputShape));
        cmd.Parameters.AddWithValue("$classes", string.Join(",", context.ClassNames));
        cmd.Parameters.AddWithValue("$opt", options.Optimizer.ToString());
        cmd.Parameters.AddWithValue("$lr", options.LearningRate);
        cmd.Parameters.AddWithValue("$batch", options.BatchSize);
        cmd.Parameters.AddWithValue("$epochs", options.Epochs);
        cmd.Parameters.AddWithValue("$seed", options.Seed);
        cmd.Parameters.AddWithValue("$device", context.Device.ToString());
        cmd.Parameters.AddWithValue("$samples", context.SampleCount);
        cmd.Parameters.AddWithValue("$hp", JsonSerializer.Serialize(new { options = options.ForRecord(), model = spec }, JsonDefaults.Options));
        cmd.Parameters.AddWithValue("$started", DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        cmd.Parameters.AddWithValue("$ckpt", (object?)checkpointPath ?? DBNull.Value);
        return (long)cmd.ExecuteScalar()!;
    }

    /// <summary>
    /// Records an epoch: its number and duration in epochs (with the standard metrics in their own columns, for queries
    /// written against the first version), and every logged value by name in epoch_logs, in the order logged.
    /// </summary>
    public void LogEpoch(long runId, EpochRecord record)
    {
        using var transaction = connection.BeginTransaction();
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = $"""
                INSERT OR REPLACE INTO epochs (run_id, epoch, seconds, {string.Join(", ", StandardColumns)})
                VALUES ($run, $epoch, $s, {string.Join(", ", StandardColumns.Select(c => "$" + c))});
                """;
            foreach (var column in StandardColumns) cmd.Parameters.AddWithValue("$" + column, Real(record.Get(column)));
            cmd.Parameters.AddWithValue("$run", runId);
            cmd.Parameters.AddWithValue("$epoch", record.Epoch);
            cmd.Parameters.AddWithValue("$s", record.Seconds);
            cmd.ExecuteNonQuery();
        }
        using (var delete = connection.CreateCommand())
        {
            delete.CommandText = "DELETE FROM epoch_logs WHERE run_id = $run AND epoch = $epoch;";
            delete.Parameters.AddWithValue("$run", runId);
            delete.Parameters.AddWithValue("$epoch", record.Epoch);
            delete.ExecuteNonQuery();
        }
        var position = 0;
        foreach (var (name, value) in record.Logs)
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "INSERT INTO epoch_logs (run_id, epoch, position, name, value) VALUES ($run, $epoch, $pos, $name, $value);";
            cmd.Parameters.AddWithValue("$run", runId);
            cmd.Parameters.AddWithValue("$epoch", record.Epoch);
            cmd.Parameters.AddWithValue("$pos", position++);
            cmd.Parameters.AddWithValue("$name", name);
            cmd.Parameters.AddWithValue("$value", Real(value));
            cmd.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    public void FinishRun(long runId, History history, double seconds, string status)
    {
        var last = history.Last;
        using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            UPDATE runs SET finished_utc = $finished, duration_s = $d, status = $status, epochs_completed = $n,
                final_loss = $loss, final_accuracy = $acc, final_val_loss = $vloss, final_val_accuracy = $vacc, best_val_accuracy = $best
            WHERE id = $id;
            """;
        cmd.Parameters.AddWithValue("$id", runId);
        cmd.Parameters.AddWithValue("$finished", DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        cmd.Parameters.AddWithValue("$d", seconds);
        cmd.Parameters.AddWithValue("$status", status);
        cmd.Parameters.AddWithValue("$n", history.Epochs.Count);
        cmd.Parameters.AddWithValue("$loss", Real(last?.Loss));
        cmd.Parameters.AddWithValue("$acc", Real(last?.Accuracy));
        cmd.Parameters.AddWithValue("$vloss", Real(last?.ValLoss));
        cmd.Parameters.AddWithValue("$vacc", Real(last?.ValAccuracy));
        cmd.Parameters.AddWithValue("$best", Real(history.Epochs.Max(e => e.ValAccuracy)));
        cmd.ExecuteNonQuery();
    }

    /// <summary>
    /// Records a model trained outside Fit (a classic classifier on CNN features) as one finished run: its training
    /// accuracy and log-loss as final_accuracy and final_loss, its validation ones as final_val_*, so it sits in the same
    /// table. What it did not use stays empty (NULL): no batches, no epochs, no learning rate where the algorithm has none.
    /// </summary>
    public long LogCompletedRun(CompletedRun run)
    {
        var finished = DateTime.UtcNow;
        using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            INSERT INTO runs (name, arch, model_type, input_shape, classes, optimizer, learning_rate, batch_size, epochs_planned,
                              seed, device, train_samples, hyperparameters, started_utc, finished_utc, duration_s, status,
                              epochs_completed, final_loss, final_accuracy, final_val_loss, final_val_accuracy, best_val_accuracy,
                              checkpoint_path)
            VALUES ($name, $arch, $type, $shape, $classes, $method, $lr, NULL, NULL, $seed, 'cpu', $samples, $hp, $started, $finished, $d,
                    'completed', NULL, $loss, $acc, $vloss, $vacc, $vacc, $path);
            SELECT last_insert_rowid();
            """;
        cmd.Parameters.AddWithValue("$name", run.Name);
        cmd.Parameters.AddWithValue("$arch", run.Arch);
        cmd.Parameters.AddWithValue("$type", run.ModelType);
        cmd.Parameters.AddWithValue("$shape", string.Join("x", run.Preprocessing.InputShape));
        cmd.Parameters.AddWithValue("$classes", string.Join(",", run.ClassNames));
        cmd.Parameters.AddWithValue("$method", run.Method);
        cmd.Parameters.AddWithValue("$lr", Real(run.LearningRate));
        cmd.Parameters.AddWithValue("$loss", Real(run.Loss));
        cmd.Parameters.AddWithValue("$vloss", Real(run.ValLoss));
        cmd.Parameters.AddWithValue("$seed", run.Seed);
        cmd.Parameters.AddWithValue("$samples", run.TrainSamples);
        cmd.Parameters.AddWithValue("$hp", JsonSerializer.Serialize(run.Hyperparameters, JsonDefaults.Options));
        cmd.Parameters.AddWithValue("$started", finished.AddSeconds(-run.Seconds).ToString("O", CultureInfo.InvariantCulture));
        cmd.Parameters.AddWithValue("$finished", finished.ToString("O", CultureInfo.InvariantCulture));
        cmd.Parameters.AddWithValue("$d", run.Seconds);
        cmd.Parameters.AddWithValue("$acc", Real(run.TrainAccuracy));
        cmd.Parameters.AddWithValue("$vacc", Real(run.ValAccuracy));
        cmd.Parameters.AddWithValue("$path", (object?)run.ModelPath ?? DBNull.Value);
        return (long)cmd.ExecuteScalar()!;
    }

    /// <summary>Every run, oldest first: one row per run for a notebook table or chart.</summary>
    public IReadOnlyList<RunRecord> Runs()
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            SELECT id, name, arch, input_shape, optimizer, learning_rate, batch_size, epochs_planned, seed, device, status,
                   epochs_completed, final_loss, final_accuracy, final_val_loss, final_val_accuracy, best_val_accuracy,
                   duration_s, checkpoint_path, started_utc, hyperparameters
            FROM runs ORDER BY id;
            """;
        using var r = cmd.ExecuteReader();
        var rows = new List<RunRecord>();
        while (r.Read())
            rows.Add(new RunRecord(r.GetInt64(0), Text(r, 1), Text(r, 2), Text(r, 3) ?? "", Text(r, 4) ?? "", Double(r, 5),
                Int(r, 6), Int(r, 7), r.GetInt64(8), Text(r, 9) ?? "", Text(r, 10) ?? "", Int(r, 11),
                Double(r, 12), Double(r, 13), Double(r, 14), Double(r, 15), Double(r, 16), Double(r, 17), Text(r, 18),
                DateTime.Parse(r.GetString(19), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind), r.GetString(20)));
        return rows;
    }

    /// <summary>
    /// Every run of every run log below <paramref name="folder"/> (05's training, 07's, 09's experiments, 10's classifiers
    /// ...), oldest first within each log, with the log's folder relative to <paramref name="folder"/>: one table of
    /// everything trained so far.
    /// </summary>
    public static IReadOnlyList<(string Log, RunRecord Run)> RunsUnder(string folder)
    {
        if (!Directory.Exists(folder)) return Array.Empty<(string, RunRecord)>();
        var rows = new List<(string, RunRecord)>();
        foreach (var file in Directory.GetFiles(folder, FileName, SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            using var log = Open(file);
            var name = System.IO.Path.GetRelativePath(folder, System.IO.Path.GetDirectoryName(file)!);
            rows.AddRange(log.Runs().Select(r => (name, r)));
        }
        return rows;
    }

    /// <summary>One run's epochs with every value they logged, for learning curves.</summary>
    public IReadOnlyList<EpochRecord> Epochs(long runId)
    {
        var logged = new Dictionary<int, List<KeyValuePair<string, double>>>();
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT epoch, name, value FROM epoch_logs WHERE run_id = $id ORDER BY epoch, position;";
            cmd.Parameters.AddWithValue("$id", runId);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                if (!logged.TryGetValue(r.GetInt32(0), out var logs)) logged[r.GetInt32(0)] = logs = new();
                logs.Add(KeyValuePair.Create(r.GetString(1), Double(r, 2) ?? double.NaN));
            }
        }
        using var read = connection.CreateCommand();
        read.CommandText = $"SELECT epoch, seconds, {string.Join(", ", StandardColumns)} FROM epochs WHERE run_id = $id ORDER BY epoch;";
        read.Parameters.AddWithValue("$id", runId);
        using var row = read.ExecuteReader();
        var rows = new List<EpochRecord>();
        while (row.Read())
        {
            var epoch = row.GetInt32(0);
            // An epoch from before epoch_logs: its columns, in the standard order; NULL is "not logged", except the
            // training loss and accuracy, which every epoch has (NULL there is a NaN SQLite could not store).
            var logs = logged.GetValueOrDefault(epoch) ?? EpochRecord.MetricNames
                .Select(name => (name, value: Double(row, row.GetOrdinal(name))
                                              ?? (name is "loss" or "accuracy" ? double.NaN : null)))
                .Where(l => l.value.HasValue).Select(l => KeyValuePair.Create(l.name, l.value!.Value)).ToList();
            rows.Add(new EpochRecord(epoch, logs, Double(row, 1) ?? 0));
        }
        return rows;
    }

    // SQLite stores NaN as NULL; a diverged loss reads back as NaN.
    private static object Real(double? v) => v is { } d && double.IsFinite(d) ? d : DBNull.Value;

    private static string? Text(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static int? Int(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt32(i);

    private static double? Double(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetDouble(i);

    private void Execute(string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public void Dispose() => connection.Dispose();
}
