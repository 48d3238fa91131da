using System.CommandLine;
using XRay.Classic;
using XRay.Data;
using XRay.Predictors;
using XRay.Metrics;

namespace XRay.Cli.Commands;

/// <summary>
/// `xray evaluate --checkpoint FILE --data DIR [--split test] [--json] [--out DIR]`: scikit-learn's classification report
/// and confusion matrix for a split, and predictions.csv (path, true, pred, one probability per class). FILE is a CNN
/// checkpoint or a classifier folder written by `xray train-classifier` (its model.zip); both report the same way. Then
/// what a clinician asks: sensitivity and specificity per class, calibration (ECE, Brier, NLL) and bootstrap intervals
/// (`--bootstrap N` resamples, `--seed S`). A checkpoint `xray calibrate` fitted a temperature for gives calibrated probabilities.
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var checkpointFile = new Option<string>("--checkpoint") { Description = "A checkpoint written by `xray train` (checkpoint.pt or best.pt), or a `xray train-classifier` folder (or its model.zip)", Required = true };
        var data = new Option<string>("--data") { Description = "Dataset folder with the checkpoint's class sub-folders", Required = true };
        var split = new Option<string>("--split") { Description = "train, val or test (a missing val/ is held out of train as in training)", DefaultValueFactory = _ => "test" };
        var json = new Option<bool>("--json") { Description = "Print only {\"classes\",\"report\",\"confusion_matrix\",\"accuracy\",\"auc\",\"sensitivity\",\"specificity\",\"calibration\",\"ci\",\"temperature\"}" };
        var bootstrap = new Option<int>("--bootstrap") { Description = "Bootstrap resamples of the images for the 95 % intervals", DefaultValueFactory = _ => 1000 };
        var seed = new Option<int>("--seed") { Description = "Seed of the bootstrap: the same seed gives the same intervals", DefaultValueFactory = _ => 0 };
        var positive = new Option<string?>("--positive") { Description = "A class (e.g. COVID19) to print the operating point for: the highest threshold on its probability that reaches --target-sensitivity" };
        var targetSensitivity = new Option<double>("--target-sensitivity") { Description = "The sensitivity the operating point must reach", DefaultValueFactory = _ => Evaluation.DefaultTargetSensitivity };
        var output = new Option<string?>("--out") { Description = "Folder for predictions.csv (default: the checkpoint's folder)" };
        var batch = new Option<int>("--batch") { Description = "Batch size", DefaultValueFactory = _ => 32 };
        var device = DeviceOption.Create();
        var command = new Command("evaluate", "Classification report, confusion matrix, sensitivity and specificity, calibration and bootstrap intervals, and predictions.csv for a checkpoint on a dataset split.")
        {
            checkpointFile, data, split, json, output, batch, bootstrap, seed, positive, targetSensitivity, device,
        };
        command.SetAction(parse => ExpectedErrors.Run(parse.InvocationConfiguration.Error, () =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var path = parse.GetValue(checkpointFile)!;
            var target = DeviceOption.Resolve(parse.GetValue(device)!);
            var batchSize = OptionChecks.Positive(parse.GetValue(batch), "--batch");
            var resampling = new BootstrapOptions { Resamples = parse.GetValue(bootstrap), Seed = parse.GetValue(seed) };
            resampling.Validate(); // before the model loads: a bad --bootstrap costs nothing
            var sensitivity = parse.GetValue(targetSensitivity);
            if (!(sensitivity is > 0 and <= 1)) throw new UsageException($"--target-sensitivity must be above 0 and at most 1 (e.g. 0.95 to miss at most 1 in 20), got {sensitivity}.");
            var positiveClass = parse.GetValue(positive);
            using var predictor = ImagePredictors.Load(path, target);
            if (positiveClass is not null && !predictor.ClassNames.Contains(positiveClass, StringComparer.OrdinalIgnoreCase))
                throw new UsageException($"--positive '{positiveClass}' is not one of the checkpoint's classes: {string.Join(", ", predictor.ClassNames)}.");
            // The training seed picks the same held-out validation images as training did.
            var loader = SplitLoader.Open(parse.GetValue(data)!, parse.GetValue(split)!, predictor.Preprocessing, batchSize, predictor.SplitSeed,
                predictor.ClassNames, target);
            var evaluation = Evaluation.From(predictor.Predict(loader), predictor.Temperature);
            foreach (var skipped in loader.Skipped) stderr.WriteLine($"warning: skipped {skipped}");

            var folder = parse.GetValue(output) ?? (Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(path))!);
            Directory.CreateDirectory(folder);
            var csv = Path.Combine(folder, "predictions.csv");
            evaluation.Predictions.WriteCsv(csv);
            if (parse.GetValue(json))
            {
                stdout.WriteLine(evaluation.ToJson(resampling, positiveClass, sensitivity));
                return 0;
            }
            stdout.WriteLine(evaluation.Report);
            stdout.WriteLine($"Confusion matrix (rows: true, columns: predicted; {string.Join(", ", predictor.ClassNames)}):");
            stdout.WriteLine(evaluation.ConfusionMatrix);
            stdout.WriteLine();
            stdout.WriteLine(evaluation.ClinicalSummary(resampling, positiveClass, sensitivity));
            stdout.WriteLine($"{evaluation.Misclassified.Count} of {evaluation.Predictions.Count} misclassified. Wrote {csv}");
            return 0;
        }));
        return command;
    }
}
