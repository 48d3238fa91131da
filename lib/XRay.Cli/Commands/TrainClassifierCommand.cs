using System.CommandLine;
using System.Text;
using XRay.Classic;
using XRay.Data;
using XRay.Features;
using XRay.IO;
using XRay.Models;
using XRay.Training;

namespace XRay.Cli.Commands;

/// <summary>
/// `xray train-classifier (--checkpoint CNN.pt | --arch A [--weights W.pt]) --data DIR --algorithm lightgbm|fasttree|linear
/// --out DIR [hyperparameters]`: part 2 of the blog series. Extracts CNN features of train and val (cached on disk),
/// trains an ML.NET classifier on them and writes model.zip, extractor.pt, classifier.json, report.txt (validation) and
/// a runs.sqlite row to --out. `xray evaluate` and `xray predict` take the folder as they take a checkpoint.
/// </summary>
internal static class TrainClassifierCommand
{
    private static readonly Dictionary<string, ClassicAlgorithm> Algorithms = new()
    {
        ["lightgbm"] = ClassicAlgorithm.LightGbm, ["fasttree"] = ClassicAlgorithm.FastTree, ["linear"] = ClassicAlgorithm.Linear,
    };

    private static readonly Dictionary<string, FeaturePooling> Poolings = new()
    {
        ["flatten"] = FeaturePooling.Flatten, ["average"] = FeaturePooling.Average, ["max"] = FeaturePooling.Max,
    };

    public static Command Create()
    {
        var checkpointFile = new Option<string?>("--checkpoint") { Description = "Features from a CNN trained by `xray train` (its size, channels and classes)" };
        var arch = new Option<string?>("--arch") { Description = $"Or features from an architecture: {ModelFactory.BlogCnnArch}|{ModelFactory.CnnArch}|{ModelFactory.MobileNetV2Arch}|{ModelFactory.Vgg19Arch}" };
        var weights = new Option<string?>("--weights") { Description = "With --arch: none (default), imagenet, a set from `xray weights list`, or a weights file; their input normalization is applied" };
        var size = new Option<int>("--size") { Description = "With --arch: images are resized to PX x PX", DefaultValueFactory = _ => 150 };
        var channels = new Option<int>("--channels") { Description = "With --arch: 1 grayscale, 3 RGB", DefaultValueFactory = _ => 1 };
        var pooling = new Option<string?>("--pooling") { Description = "flatten|average|max (default: flatten for CNNs, what their dense head sees; average for mobilenet-v2/vgg19)" };
        var data = new Option<string>("--data") { Description = "Dataset folder: train/ (val/, test/) with one sub-folder per class", Required = true };
        var algorithm = new Option<string>("--algorithm") { Description = "lightgbm|fasttree|linear (L-BFGS multinomial logistic regression)", DefaultValueFactory = _ => "lightgbm" };
        var output = new Option<string>("--out") { Description = "Folder for model.zip, extractor.pt, classifier.json, report.txt and runs.sqlite", Required = true };
        var iterations = new Option<int>("--iterations") { Description = "Boosting rounds (lightgbm), trees per class (fasttree) or L-BFGS iterations (linear)", DefaultValueFactory = _ => 100 };
        var learningRate = new Option<double?>("--learning-rate") { Description = "Tree shrinkage (lightgbm: ML.NET's choice, fasttree: 0.2)" };
        var leaves = new Option<int?>("--leaves") { Description = "Leaves per tree (fasttree: 20)" };
        var minLeaf = new Option<int?>("--min-leaf") { Description = "Fewest images in a leaf (fasttree: 10); lower it for tiny sets" };
        var l1 = new Option<float?>("--l1") { Description = "Linear model's L1 penalty (1)" };
        var l2 = new Option<float?>("--l2") { Description = "Linear model's L2 penalty (1)" };
        var threads = new Option<int?>("--threads")
        {
            Description = "Training threads (default: 1 for lightgbm and linear, which gives the same model every run; every core for fasttree, whose trees are the same on any count)",
        };
        var seed = new Option<int>("--seed") { Description = "Seeds ML.NET, an untrained --arch, and the validation split (a --checkpoint's split uses its own seed)", DefaultValueFactory = _ => 42 };
        var valSplit = new Option<double>("--val-split") { Description = "When val/ is missing or tiny, hold out this stratified fraction of train", DefaultValueFactory = _ => 0.2 };
        var batch = new Option<int>("--batch") { Description = "Images per batch through the feature extractor", DefaultValueFactory = _ => 32 };
        var cacheDir = new Option<string?>("--feature-cache") { Description = "Folder for cached features (default $XRAY_CACHE_DIR/features or ~/.cache/xray/features)" };
        var device = DeviceOption.Create();
        var command = new Command("train-classifier", "Train LightGBM, FastTree or a linear model (ML.NET) on CNN features: part 2 of the blog series.")
        {
            checkpointFile, arch, weights, size, channels, pooling, data, algorithm, output, iterations, learningRate, leaves, minLeaf, l1, l2,
            threads, seed, valSplit, batch, cacheDir, device,
        };
        command.SetAction(parse => ExpectedErrors.Run(parse.InvocationConfiguration.Error, () =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var outDir = parse.GetValue(output)!;
            var target = DeviceOption.Resolve(parse.GetValue(device)!);
            var fraction = OptionChecks.ValidationFraction(parse.GetValue(valSplit));
            var options = new ClassicOptions
            {
                Algorithm = OptionChecks.OneOf(parse.GetValue(algorithm)!, "--algorithm", Algorithms),
                Iterations = OptionChecks.Positive(parse.GetValue(iterations), "--iterations"),
                LearningRate = parse.GetValue(learningRate) is { } lr ? OptionChecks.Positive(lr, "--learning-rate") : null,
                Leaves = parse.GetValue(leaves) is { } n ? OptionChecks.Positive(n, "--leaves") : null,
                MinimumExamplesPerLeaf = parse.GetValue(minLeaf) is { } m ? OptionChecks.Positive(m, "--min-leaf") : null,
                L1 = parse.GetValue(l1) is { } a ? (float)OptionChecks.NonNegative(a, "--l1") : null,
                L2 = parse.GetValue(l2) is { } b ? (float)OptionChecks.NonNegative(b, "--l2") : null,
                Threads = parse.GetValue(threads) is { } t ? OptionChecks.Positive(t, "--threads") : null,
                Seed = parse.GetValue(seed),
            };
            var pool = parse.GetValue(pooling) is { } p ? OptionChecks.OneOf(p, "--pooling", Poolings) : (FeaturePooling?)null;

            using var extractor = Extractor(parse, checkpointFile, arch, weights, size, channels, pool, options.Seed, target);
            var splitSeed = extractor.TrainingSeed ?? options.Seed;
            var dataset = ImageDataset.Open(parse.GetValue(data)!, extractor.ClassNames, fraction, splitSeed);
            var cache = parse.GetValue(cacheDir) ?? FeatureCache.DefaultDirectory();
            var loaderOptions = new DataLoaderOptions { BatchSize = OptionChecks.Positive(parse.GetValue(batch), "--batch"), Cache = CacheMode.None, Device = target };
            var train = Features("train", dataset.Split("train"), extractor, cache, loaderOptions, stdout);
            if (train.Count == 0) throw new ArgumentException($"No usable training images in '{dataset.Layout.Root}'.");
            var val = dataset.Val is null ? null : Features("val", dataset.Val, extractor, cache, loaderOptions, stdout);
            foreach (var skipped in dataset.Skipped) stderr.WriteLine($"warning: skipped {skipped.Path}: {skipped.Reason}");

            var run = ClassicTrainer.Fit(extractor, train, val, options, splitSeed, modelDirectory: outDir,
                runLogPath: Path.Combine(outDir, RunLog.FileName));
            var report = new StringBuilder($"{options.Algorithm} on {extractor.Source}: train accuracy {run.TrainAccuracy:0.0000}\n");
            if (run.Validation is { } v)
                report.Append("Validation:\n").Append(v.Report).Append('\n')
                    .Append($"Confusion matrix (rows: true, columns: predicted; {string.Join(", ", train.ClassNames)}):\n").Append(v.ConfusionMatrix).Append('\n');
            AtomicFile.Write(Path.Combine(outDir, "report.txt"), Encoding.UTF8.GetBytes(report.ToString()));
            stdout.Write(report);
            stdout.WriteLine($"Trained in {run.Seconds:0.0} s. Wrote {ClassicModel.ModelFileName}, {ClassicModel.ExtractorFileName}, " +
                             $"{ClassicModel.InfoFileName}, report.txt and {RunLog.FileName} in {outDir}");
            return 0;
        }));
        return command;
    }

    private static FeatureExtractor Extractor(ParseResult parse, Option<string?> checkpointFile, Option<string?> arch, Option<string?> weights,
        Option<int> size, Option<int> channels, FeaturePooling? pooling, int seed, TorchSharp.torch.Device device)
    {
        var checkpoint = parse.GetValue(checkpointFile);
        var architecture = parse.GetValue(arch);
        if ((checkpoint is null) == (architecture is null))
            throw new UsageException("Give either --checkpoint CNN.pt (a trained CNN's features) or --arch ARCH (an architecture's), not both or neither.");
        if (checkpoint is not null)
        {
            if (parse.GetValue(weights) is not null) throw new UsageException("--weights goes with --arch; a --checkpoint has its own weights.");
            return FeatureExtractor.FromCheckpoint(checkpoint, pooling, device);
        }
        var side = OptionChecks.Positive(parse.GetValue(size), "--size");
        var color = OptionChecks.Channels(parse.GetValue(channels));
        var word = parse.GetValue(weights);
        var preprocessing = XRay.Weights.PretrainedWeights.PreprocessingFor(word, architecture!, new Preprocessing(side, side, color));
        return FeatureExtractor.FromArchitecture(architecture!, preprocessing, word, pooling, seed, device);
    }

    private static FeatureSet Features(string split, ImageFolder folder, FeatureExtractor extractor, string cache, DataLoaderOptions options, TextWriter stdout)
    {
        var set = FeatureCache.Extract(extractor, folder, cache, options);
        stdout.WriteLine($"{split}: {set.Count} images, {set.Dimension} features each ({(set.LoadedFromDisk ? "from the cache" : "extracted")}: {set.FilePath})");
        return set;
    }
}
