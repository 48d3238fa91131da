using XRay.Classic;
using XRay.Features;
using XRay.Metrics;
using XRay.Predictors;
using XRay.Models;
using XRay.Training;

namespace XRay.Tests.Classic;

public class ClassicTrainerTests
{
    [Fact]
    public void Fit_saves_the_model_and_logs_it_in_the_run_log_beside_cnn_runs()
    {
        var features = SyntheticFeatures.Instance;
        var folder = TestFiles.TempFolder();
        var log = Path.Combine(folder, RunLog.FileName);

        var run = ClassicTrainer.Fit(features.Extractor, features.Train, features.Val, new ClassicOptions { Algorithm = ClassicAlgorithm.LightGbm, Seed = 3 },
            splitSeed: 4, modelDirectory: Path.Combine(folder, "lightgbm"), runLogPath: log, runName: "lightgbm on blog-cnn");

        using var runs = RunLog.Open(log);
        var row = Assert.Single(runs.Runs());
        Assert.Equal(run.RunId, row.Id);
        Assert.Equal("lightgbm on blog-cnn", row.Name);
        Assert.Equal("completed", row.Status);
        Assert.Equal("LightGbm", row.Optimizer);
        Assert.Equal("1x64x64", row.InputShape);
        Assert.Equal(run.Validation!.Accuracy, row.FinalValAccuracy!.Value, 12);
        Assert.Equal(run.TrainAccuracy, row.FinalAccuracy!.Value, 12);
        Assert.EndsWith(ClassicModel.ModelFileName, row.CheckpointPath);
        // What the classifier really used: no batches, no epochs, and ML.NET chose LightGBM's learning rate; its losses are
        // the log-loss of its probabilities (the metric scikit-learn's log_loss gives, tested in CalibrationTests).
        Assert.Null(row.BatchSize);
        Assert.Null(row.EpochsPlanned);
        Assert.Null(row.EpochsCompleted);
        Assert.Null(row.LearningRate);
        Assert.Equal(Calibration.Compute(run.Model.Predict(features.Train)).Nll, row.FinalLoss!.Value, 6);
        Assert.Equal(Calibration.Compute(run.Validation.Predictions).Nll, row.FinalValLoss!.Value, 6);

        // What evaluate and predict open: the same predictions as the model in memory.
        using var loaded = ImagePredictors.Load(row.CheckpointPath!);
        Assert.IsType<ClassicModel>(loaded);
        Assert.Equal(4, loaded.SplitSeed);
        Assert.Equal(features.Dataset.ClassNames, loaded.ClassNames);
        Assert.Equal(run.Model.Predict(features.Val).Probabilities, ((ClassicModel)loaded).Predict(features.Val).Probabilities);
    }

    [Fact]
    public void A_model_folder_with_another_feature_extractor_is_refused()
    {
        var features = SyntheticFeatures.Instance;
        var folder = TestFiles.TempFolder();
        ClassicTrainer.Fit(features.Extractor, features.Train, null, new ClassicOptions { Algorithm = ClassicAlgorithm.Linear }, modelDirectory: folder);
        using (var other = FeatureExtractor.FromArchitecture(ModelFactory.BlogCnnArch, features.Extractor.Preprocessing, seed: 99))
            other.Save(Path.Combine(folder, ClassicModel.ExtractorFileName), features.Dataset.ClassNames);

        Assert.Contains("not the feature extractor", Assert.Throws<InvalidDataException>(() => ClassicModel.Load(folder)).Message);
        Assert.Throws<FileNotFoundException>(() => ClassicModel.Load(TestFiles.TempFolder()));
    }

    [Fact]
    public void The_run_log_records_the_learning_rate_each_algorithm_used()
    {
        var features = SyntheticFeatures.Instance;
        var log = Path.Combine(TestFiles.TempFolder(), RunLog.FileName);
        foreach (var options in new[]
        {
            new ClassicOptions { Algorithm = ClassicAlgorithm.FastTree, Iterations = 5, MinimumExamplesPerLeaf = 2 },
            new ClassicOptions { Algorithm = ClassicAlgorithm.LightGbm, Iterations = 5, LearningRate = 0.05 },
            new ClassicOptions { Algorithm = ClassicAlgorithm.Linear, Iterations = 5 },
        })
            ClassicTrainer.Fit(features.Extractor, features.Train, null, options, runLogPath: log);
        using var runs = RunLog.Open(log);
        Assert.Equal(new double?[] { ClassicOptions.FastTreeLearningRate, 0.05, null }, runs.Runs().Select(r => r.LearningRate));
        Assert.All(runs.Runs(), r => Assert.Null(r.FinalValLoss)); // no validation set given
    }
}
