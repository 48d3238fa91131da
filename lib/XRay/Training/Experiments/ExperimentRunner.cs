using System.Diagnostics;
using XRay.Data;
using XRay.Models;

namespace XRay.Training.Experiments;

/// <summary>The training and validation batches for one row and seed (the seed shuffles the training batches).</summary>
public delegate (IBatchSource Train, IBatchSource Validation) ExperimentDataFactory(ExperimentSettings settings, long seed);

/// <summary>Trains each row of a grid once per seed and keeps, per seed, the final and best validation scores.</summary>
public static class ExperimentRunner
{
    /// <param name="outputDirectory">Where Trainer.Fit writes its run log and checkpoint (every run in one runs.sqlite); null writes nothing.</param>
    /// <param name="log">Told one line per finished row.</param>
    public static IReadOnlyList<ExperimentResult> Run(ExperimentGrid grid, ExperimentDataFactory data, IReadOnlyList<long> seeds,
        string? outputDirectory = null, Action<string>? log = null)
    {
        if (seeds.Count == 0) throw new ArgumentException("Give at least one seed.", nameof(seeds));
        var results = new List<ExperimentResult>();
        foreach (var row in grid.Rows)
        {
            var runs = seeds.Select(seed => RunOnce(row, data, seed, outputDirectory)).ToList();
            var result = new ExperimentResult(row, runs);
            results.Add(result);
            log?.Invoke(FormattableString.Invariant($"{row.Name}: val accuracy {result.ValAccuracy} in {result.Seconds:0} s"));
        }
        return results;
    }

    public static SeedResult RunOnce(ExperimentRow row, ExperimentDataFactory data, long seed, string? outputDirectory = null)
    {
        var s = row.Settings;
        var clock = Stopwatch.StartNew();
        var (train, val) = data(s, seed);
        try
        {
            using var model = ModelFactory.Create(s.Spec(train.Preprocessing.Channels, train.ClassNames.Count), seed);
            var callbacks = s.EarlyStoppingPatience > 0
                ? new Callback[] { new EarlyStopping(monitor: "val_loss", patience: s.EarlyStoppingPatience, restoreBestWeights: true) }
                : Array.Empty<Callback>();
            var history = Trainer.Fit(model, train, val, new TrainingOptions
            {
                Epochs = s.Epochs, BatchSize = s.BatchSize, Optimizer = s.Optimizer, LearningRate = s.LearningRate,
                L1 = s.L1, L2 = s.L2, Seed = seed, OutputDirectory = outputDirectory,
                RunName = FormattableString.Invariant($"{row.Name} seed {seed}"),
            }, callbacks);
            // The model the run ends with (early stopping's restored best), measured once more so every row is scored alike.
            var (valLoss, valAccuracy) = Trainer.Evaluate(model, val);
            var last = history.Last ?? throw new InvalidOperationException($"Row '{row.Name}' trained no epoch.");
            var best = history.Epochs.Max(e => e.ValAccuracy ?? double.NaN);
            return new SeedResult(seed, history.Epochs.Count, last.Loss, last.Accuracy, valLoss, valAccuracy, best, clock.Elapsed.TotalSeconds);
        }
        finally
        {
            (train as IDisposable)?.Dispose();
            (val as IDisposable)?.Dispose();
        }
    }

    /// <summary>
    /// Loaders over <paramref name="dataset"/>'s training images and its held-out validation split, grayscale at each row's
    /// size, batched and shuffled as the row and seed say; rows with Augment train on <paramref name="augmentation"/>.
    /// </summary>
    public static ExperimentDataFactory FromDataset(ImageDataset dataset, Imaging.IImageTransform augmentation) => (s, seed) =>
    {
        var preprocessing = new Preprocessing(s.ImageSize, s.ImageSize, ColorMode.Grayscale);
        var train = DataLoader.FromImageFolder(dataset.Train ?? throw new InvalidOperationException("The dataset has no training images."),
            preprocessing, new DataLoaderOptions { BatchSize = s.BatchSize, Seed = seed, Transform = s.Augment ? augmentation : null });
        var val = DataLoader.FromImageFolder(dataset.Split("val"), preprocessing, new DataLoaderOptions { BatchSize = 100, Shuffle = false });
        return (train, val);
    };
}
