using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using XRay.Classic;
using XRay.Data;
using XRay.Metrics;
using XRay.Predictors;
using XRay.Training;

namespace XRay.Cli.Commands;

/// <summary>
/// `xray calibrate --checkpoint CK --data D [--json]`: fits temperature scaling (Guo et al., 2017) on the validation split
/// by minimizing the NLL, and stores T in the checkpoint (rewritten atomically). From then on evaluate, predict, serve and
/// the notebooks give calibrated probabilities; the predicted classes stay the same.
/// </summary>
internal static class CalibrateCommand
{
    public static Command Create()
    {
        var checkpointFile = new Option<string>("--checkpoint") { Description = "A checkpoint written by `xray train` (checkpoint.pt or best.pt); T is stored in it", Required = true };
        var data = new Option<string>("--data") { Description = "Dataset folder: its val/ split, or the part of train/ training held out (same seed)", Required = true };
        var json = new Option<bool>("--json") { Description = "Print only {\"temperature\",\"nll_before\",\"nll_after\",\"ece_before\",\"ece_after\"}" };
        var batch = new Option<int>("--batch") { Description = "Batch size", DefaultValueFactory = _ => 32 };
        var device = DeviceOption.Create();
        var command = new Command("calibrate", "Fit temperature scaling on the validation split and store T in the checkpoint: calibrated probabilities from then on.")
        {
            checkpointFile, data, json, batch, device,
        };
        command.SetAction(parse => ExpectedErrors.Run(parse.InvocationConfiguration.Error, () =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var path = parse.GetValue(checkpointFile)!;
            if (ClassicModel.IsClassicModel(path))
                throw new ArgumentException($"'{path}' is a `xray train-classifier` model; calibrate fits the temperature of a CNN checkpoint from `xray train`.");
            var batchSize = OptionChecks.Positive(parse.GetValue(batch), "--batch");
            var target = DeviceOption.Resolve(parse.GetValue(device)!);
            TemperatureFit fit;
            using (var predictor = ImageClassifier.Load(path, target))
            {
                // Validation, never test: T is chosen on these images, so the test split stays an honest check of it.
                var loader = SplitLoader.Open(parse.GetValue(data)!, "val", predictor.Preprocessing, batchSize, predictor.SplitSeed,
                    predictor.ClassNames, target, " to fit a temperature on");
                fit = TemperatureScaling.Calibrate(predictor.PredictUncalibrated(loader)); // from the logits as trained, whatever T was stored
            }
            Checkpoint.SaveTemperature(path, fit.Temperature);
            if (parse.GetValue(json))
            {
                stdout.WriteLine(JsonSerializer.Serialize(fit));
                return 0;
            }
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Temperature T = {fit.Temperature:0.####} fitted on {fit.Images} validation images: NLL {fit.NllBefore:0.0000} -> {fit.NllAfter:0.0000}, ECE {fit.EceBefore:0.0000} -> {fit.EceAfter:0.0000}."));
            stdout.WriteLine($"Stored in {path}: evaluate, predict and serve now give calibrated probabilities (the predicted classes are unchanged).");
            return 0;
        }));
        return command;
    }
}
