using System.CommandLine;
using System.Globalization;
using XRay.Classic;
using XRay.Imaging;
using XRay.Models;
using XRay.Predictors;
using static TorchSharp.torch;

namespace XRay.Cli.Commands;

/// <summary>
/// `xray predict --checkpoint FILE IMAGE...`: one tab-separated line per image (path, predicted class, CLASS=probability
/// for each class). FILE is a CNN checkpoint or a `xray train-classifier` folder. An unreadable image is reported on
/// stderr and the others still run; the exit code is 1 if any failed.
/// </summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var checkpointFile = new Option<string>("--checkpoint") { Description = "A checkpoint written by `xray train`, or a `xray train-classifier` folder (or its model.zip)", Required = true };
        var images = new Argument<string[]>("images") { Description = "Image files (JPEG, PNG, BMP, ...)", Arity = ArgumentArity.OneOrMore };
        var device = DeviceOption.Create();
        var command = new Command("predict", "Classify image files with a trained checkpoint: path, predicted class and probabilities per line.")
        {
            checkpointFile, images, device,
        };
        command.SetAction(parse => ExpectedErrors.Run(parse.InvocationConfiguration.Error, () =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var target = DeviceOption.Resolve(parse.GetValue(device)!);
            using var predictor = ImagePredictors.Load(parse.GetValue(checkpointFile)!, target);
            var failed = 0;
            foreach (var path in parse.GetValue(images)!)
            {
                try
                {
                    // The checks a dataset folder applies, so a truncated JPEG is refused here as training would skip it.
                    using var scope = NewDisposeScope();
                    var x = ImageClassifier.InputFrom(path, predictor.Preprocessing, target);              // (1, C, H, W), checked as training's files
                    var p = predictor.Probabilities(x)[0];                                                // K probabilities
                    var columns = predictor.ClassNames.Select((c, i) => $"{c}={p[i].ToString("F6", CultureInfo.InvariantCulture)}");
                    stdout.WriteLine($"{path}\t{predictor.ClassNames[Inference.ArgMax(p)]}\t{string.Join("\t", columns)}");
                }
                catch (ImageLoadException e)
                {
                    stderr.WriteLine($"error: {e.Message}");
                    failed++;
                }
            }
            if (failed > 0) stderr.WriteLine($"{failed} of {parse.GetValue(images)!.Length} images could not be classified.");
            return failed > 0 ? 1 : 0;
        }));
        return command;
    }
}
