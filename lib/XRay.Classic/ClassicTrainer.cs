using System.Diagnostics;
using XRay.Features;
using XRay.Metrics;
using XRay.Training;

namespace XRay.Classic;

/// <summary>
/// Part 2 of the blog series in one call: train a classic classifier on CNN features, evaluate it on validation with
/// the CNN's metrics, and (optionally) save it and record it in a run log beside the CNN runs.
/// </summary>
public static class ClassicTrainer
{
    /// <param name="splitSeed">The seed that split validation off train (the CNN's training seed for a checkpoint's features).</param>
    /// <param name="modelDirectory">Where to write model.zip, extractor.pt and classifier.json; null writes nothing.</param>
    /// <param name="runLogPath">A runs.sqlite to record the run in; null records nothing.</param>
    public static ClassicRun Fit(FeatureExtractor extractor, FeatureSet train, FeatureSet? val, ClassicOptions options,
        long splitSeed = 0, string? modelDirectory = null, string? runLogPath = null, string? runName = null)
    {
        var clock = Stopwatch.StartNew();
        var classifier = ClassicClassifier.Train(train, options);
        var info = new ClassicModelInfo
        {
            ClassNames = train.ClassNames.ToArray(),
            Options = options,
            Extractor = extractor.Source.Length > 0 ? extractor.Source : extractor.Model.Spec.Arch,
            ExtractorFingerprint = extractor.Fingerprint,
            Pooling = extractor.Pooling,
            Preprocessing = extractor.Preprocessing,
            Dimension = train.Dimension,
            SplitSeed = splitSeed,
            TrainSamples = train.Count,
        };
        var model = new ClassicModel(extractor, classifier, info);
        var trainPredictions = classifier.Predict(train);
        var trainAccuracy = Evaluation.From(trainPredictions).Accuracy;
        var validation = val is { Count: > 0 } ? Evaluation.From(classifier.Predict(val)) : null;
        var seconds = clock.Elapsed.TotalSeconds;
        if (modelDirectory is not null) model.Save(modelDirectory);
        long? runId = null;
        if (runLogPath is not null)
        {
            using var log = RunLog.Open(runLogPath);
            runId = log.LogCompletedRun(new CompletedRun
            {
                Name = runName ?? $"{options.Algorithm} on {extractor.Model.Spec.Arch} features",
                Arch = $"{options.Algorithm.ToString().ToLowerInvariant()}+{extractor.Model.Spec.Arch}",
                ModelType = nameof(ClassicModel),
                Preprocessing = extractor.Preprocessing,
                ClassNames = info.ClassNames,
                Method = options.Algorithm.ToString(),
                LearningRate = options.LearningRateUsed,
                Seed = options.Seed,
                TrainSamples = train.Count,
                Hyperparameters = new { options, extractor = info.Extractor, pooling = info.Pooling.ToString(), dimension = info.Dimension },
                Seconds = seconds,
                TrainAccuracy = trainAccuracy,
                ValAccuracy = validation?.Accuracy,
                Loss = Calibration.Compute(trainPredictions).Nll,
                ValLoss = validation is null ? null : Calibration.Compute(validation.Predictions).Nll,
                ModelPath = modelDirectory is null ? null : Path.GetFullPath(Path.Combine(modelDirectory, ClassicModel.ModelFileName)),
            });
        }
        return new ClassicRun(model, trainAccuracy, validation, seconds, runId);
    }
}
