using System.CommandLine;
using XRay.Augmentation;
using XRay.Data;
using XRay.Models;
using XRay.Training;
using XRay.Weights;
using static TorchSharp.torch;

namespace XRay.Cli.Commands;

/// <summary>
/// `xray train --data DIR --arch A --size PX --channels 1|3 --epochs N --batch B --optimizer O --lr LR --seed S --out DIR
/// [callback options] [--resume CKPT] [--precision auto|fp32|bf16|fp16]`: Keras' model.fit from the command line. Writes checkpoint.pt (every epoch),
/// history.json and runs.sqlite to --out, and prints Keras' progress lines.
/// </summary>
internal static class TrainCommand
{
    private static readonly Dictionary<string, OptimizerKind> Optimizers = new()
    {
        ["adam"] = OptimizerKind.Adam, ["adamw"] = OptimizerKind.AdamW, ["sgd"] = OptimizerKind.Sgd, ["rmsprop"] = OptimizerKind.RmsProp,
    };

    private static readonly Dictionary<string, CacheMode> Caches = new()
    {
        ["disk"] = CacheMode.MemoryAndDisk, ["memory"] = CacheMode.Memory, ["none"] = CacheMode.None,
    };

    private static readonly Dictionary<string, TrainingPrecision> Precisions = new()
    {
        ["auto"] = TrainingPrecision.Auto, ["fp32"] = TrainingPrecision.Fp32, ["bf16"] = TrainingPrecision.Bf16, ["fp16"] = TrainingPrecision.Fp16,
    };

    // Every epoch metric but the learning rate: losses go down, accuracy, precision, recall and F1 go up (Monitor knows which).
    private static readonly Dictionary<string, string> Monitors = EpochRecord.MetricNames.Where(m => m != "lr").ToDictionary(m => m);

    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Dataset folder: train/ (val/, test/) with one sub-folder per class, either Kaggle layout", Required = true };
        var output = new Option<string>("--out") { Description = "Folder for checkpoint.pt, history.json and runs.sqlite", Required = true };
        var arch = new Option<string>("--arch") { Description = $"Architecture: {string.Join("|", ModelFactory.Architectures)}", DefaultValueFactory = _ => ModelFactory.BlogCnnArch };
        var size = new Option<int>("--size") { Description = "Images are resized to PX x PX (seed 002: 255, seed 000: 224)", DefaultValueFactory = _ => 150 };
        var channels = new Option<int>("--channels") { Description = "1: grayscale, 3: RGB (ImageNet weights need 3)", DefaultValueFactory = _ => 1 };
        var epochs = new Option<int>("--epochs") { Description = "Total epochs; a resumed run continues up to this number", DefaultValueFactory = _ => 10 };
        var batch = new Option<int>("--batch") { Description = "Batch size", DefaultValueFactory = _ => 32 };
        var optimizer = new Option<string>("--optimizer") { Description = "adam|adamw|sgd|rmsprop", DefaultValueFactory = _ => "adam" };
        var lr = new Option<double>("--lr") { Description = "Initial learning rate (Keras' Adam default 1e-3; seed 001: 1e-4)", DefaultValueFactory = _ => 1e-3 };
        var momentum = new Option<double>("--momentum") { Description = "Momentum for sgd and rmsprop" };
        var weightDecay = new Option<double>("--weight-decay") { Description = "Optimizer weight decay (decoupled for adamw)" };
        var l1 = new Option<double>("--l1") { Description = "Keras-style L1 penalty on every kernel (seed 003 tries 5e-7)" };
        var l2 = new Option<double>("--l2") { Description = "Keras-style L2 penalty on every kernel (seed 003 tries 5e-7)" };
        var seed = new Option<long>("--seed") { Description = "Seeds the weights, the shuffle, the validation split, augmentation and dropout", DefaultValueFactory = _ => 42 };
        var valSplit = new Option<double>("--val-split") { Description = "When val/ is missing or tiny, hold out this stratified fraction of train for validation; 0: none", DefaultValueFactory = _ => 0.2 };
        var augment = new Option<bool>("--augment") { Description = "Keras ImageDataGenerator transforms on the fly: seed 002's zoom_range=0.2, without its vertical_flip (chest X-rays are not up-down symmetric)" };
        var classWeights = new Option<bool>("--class-weights") { Description = "Weight the loss by inverse class frequency (class_weight='balanced')" };
        var balanced = new Option<bool>("--balanced") { Description = "Draw every class equally often (with replacement) instead of each image once per epoch" };
        var monitor = new Option<string>("--monitor") { Description = "Metric for early stopping, --save-best and --reduce-lr-on-plateau: val_loss|val_accuracy|val_precision|val_recall|val_f1 (or the training ones without val_)", DefaultValueFactory = _ => "val_loss" };
        var patience = new Option<int?>("--early-stopping-patience") { Description = "EarlyStopping: stop after N epochs without improvement of --monitor (off when not given)" };
        var minDelta = new Option<double>("--min-delta") { Description = "EarlyStopping's min_delta: smaller changes are no improvement" };
        var restoreBest = new Option<bool>("--restore-best-weights") { Description = "EarlyStopping's restore_best_weights: end with the best epoch's weights" };
        var saveBest = new Option<bool>("--save-best") { Description = "ModelCheckpoint(save_best_only): also write best.pt whenever --monitor improves" };
        var reduceLr = new Option<bool>("--reduce-lr-on-plateau") { Description = "ReduceLROnPlateau on --monitor with seed 001's settings: factor 0.1, patience 6, min_delta 5e-3, min_lr 5e-9" };
        var halveEvery = new Option<int?>("--halve-lr-every") { Description = "LearningRateScheduler as seed 002 (N=10): halve the rate when epoch % N == 0, epoch 0 included" };
        var resume = new Option<string?>("--resume") { Description = "Continue from a checkpoint: its weights, optimizer state, history and epoch; architecture, size and channels come from it" };
        var cache = new Option<string>("--cache") { Description = "Decoded-image cache: disk (memory + $XRAY_CACHE_DIR or ~/.cache/xray), memory or none", DefaultValueFactory = _ => "disk" };
        var weights = new Option<string>("--weights")
        {
            Description = "Pretrained feature weights: none, imagenet (the arch's default: torchvision's DEFAULT, Keras' for mobilenet, the NuGet " +
                          "package's for resnet18-mlnet), a set from `xray weights list`, or a file. Their input (RGB, their normalization) is " +
                          "applied and recorded in the checkpoint",
            DefaultValueFactory = _ => "none",
        };
        var freeze = new Option<bool>("--freeze-features") { Description = "Train the head only (transfer archs); by default pretrained weights train with the whole network, as seed 001" };
        var precision = new Option<string>("--precision") { Description = "Forward-pass arithmetic: auto|fp32|bf16|fp16. bf16 and fp16 run libtorch's autocast (weights and checkpoints stay fp32); bf16 needs a GPU or a CPU with avx512_bf16/amx_bf16, fp16 a GPU. auto is fp32 (bf16 not yet measured reliably faster: bench/README.md)", DefaultValueFactory = _ => "auto" };
        var device = DeviceOption.Create();
        var command = new Command("train", "Train a model on an image folder, Keras-style, writing checkpoint.pt, history.json and runs.sqlite.")
        {
            data, output, arch, size, channels, epochs, batch, optimizer, lr, momentum, weightDecay, l1, l2, seed, valSplit, augment,
            classWeights, balanced, monitor, patience, minDelta, restoreBest, saveBest, reduceLr, halveEvery, resume, cache, weights, freeze, precision, device,
        };
        command.SetAction(parse => ExpectedErrors.Run(parse.InvocationConfiguration.Error, () =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var outDir = parse.GetValue(output)!;
            var trainingSeed = parse.GetValue(seed);
            var fraction = parse.GetValue(valSplit);
            if (fraction is < 0 or >= 1) throw new ArgumentException($"--val-split must be at least 0 and below 1, got {fraction}.");
            var monitored = OptionChecks.OneOf(parse.GetValue(monitor)!, "--monitor", Monitors);
            var options = new TrainingOptions
            {
                Epochs = OptionChecks.Positive(parse.GetValue(epochs), "--epochs"),
                BatchSize = OptionChecks.Positive(parse.GetValue(batch), "--batch"),
                Optimizer = OptionChecks.OneOf(parse.GetValue(optimizer)!, "--optimizer", Optimizers),
                LearningRate = OptionChecks.Positive(parse.GetValue(lr), "--lr"),
                Momentum = OptionChecks.NonNegative(parse.GetValue(momentum), "--momentum"),
                WeightDecay = OptionChecks.NonNegative(parse.GetValue(weightDecay), "--weight-decay"),
                L1 = OptionChecks.NonNegative(parse.GetValue(l1), "--l1"),
                L2 = OptionChecks.NonNegative(parse.GetValue(l2), "--l2"),
                Seed = trainingSeed,
                Device = DeviceOption.Resolve(parse.GetValue(device)!),
                OutputDirectory = outDir,
                ResumeFrom = parse.GetValue(resume),
                Precision = OptionChecks.OneOf(parse.GetValue(precision)!, "--precision", Precisions),
            };
            // Refused before any image is read: fp16 on a CPU, bf16 on a CPU without bf16 instructions.
            var resolved = MixedPrecision.Resolve(options.Precision, options.Device ?? XRay.Runtime.Devices.Default);
            var callbacks = Callbacks(parse, stdout, monitored, patience, minDelta, restoreBest, saveBest, reduceLr, halveEvery, outDir);

            // A resumed run is the checkpoint's network on the checkpoint's inputs; an explicit conflicting value is an error.
            ModelSpec? resumedSpec = null;
            Preprocessing preprocessing;
            IReadOnlyList<string>? classOrder = null;
            if (options.ResumeFrom is { } resumePath)
            {
                using var checkpoint = Checkpoint.Load(resumePath);
                resumedSpec = checkpoint.ModelSpec
                              ?? throw new ArgumentException($"The checkpoint '{resumePath}' holds a model this library did not build; resume it from code.");
                preprocessing = checkpoint.Preprocessing;
                classOrder = checkpoint.ClassNames;
                RequireSame(parse, arch, resumedSpec.Arch, resumePath);
                RequireSame(parse, size, preprocessing.Height, resumePath);
                RequireSame(parse, channels, preprocessing.Channels, resumePath);
                if (parse.GetResult(weights) is { Implicit: false })
                    throw new ArgumentException($"--weights starts a new run; '{resumePath}' already holds its weights (trained from {preprocessing.Weights ?? "none"}). Leave --weights out.");
            }
            else
            {
                var side = OptionChecks.Positive(parse.GetValue(size), "--size");
                var color = parse.GetValue(channels) switch
                {
                    1 => ColorMode.Grayscale,
                    3 => ColorMode.Rgb,
                    var c => throw new ArgumentException($"--channels must be 1 (grayscale) or 3 (RGB), got {c}."),
                };
                preprocessing = new Preprocessing(side, side, color);
                var pretrained = PretrainedWeights.PreprocessingFor(parse.GetValue(weights), parse.GetValue(arch)!, preprocessing);
                if (pretrained.Color != preprocessing.Color)
                    stdout.WriteLine($"Pretrained weights take RGB: images are decoded with 3 channels (a gray X-ray's value repeated), not {preprocessing.Channels}.");
                preprocessing = pretrained;
            }

            var dataset = ImageDataset.Open(parse.GetValue(data)!, classOrder, fraction, trainingSeed);
            var loaderOptions = new DataLoaderOptions
            {
                BatchSize = options.BatchSize,
                Seed = trainingSeed,
                Cache = OptionChecks.OneOf(parse.GetValue(cache)!, "--cache", Caches),
                Transform = parse.GetValue(augment) ? KerasAugmentation.ChestXray : null,
                Balanced = parse.GetValue(balanced),
            };
            var train = DataLoader.FromImageFolder(dataset.Split("train"), preprocessing, loaderOptions);
            var val = dataset.Val is null ? null
                : DataLoader.FromImageFolder(dataset.Val, preprocessing, loaderOptions with { Shuffle = false, Transform = null, Balanced = false });
            Describe(dataset, train, val, stdout, stderr);
            stdout.WriteLine($"Precision: {resolved.Name} ({resolved.Reason}).");
            if (train.SampleCount == 0)
                throw new ArgumentException($"No usable training images in '{dataset.Layout.Root}'; see the skipped files above.");
            if (parse.GetValue(classWeights)) options = options with { ClassWeights = train.ClassWeights() };

            var spec = resumedSpec ?? new ModelSpec(parse.GetValue(arch)!, preprocessing.Channels, preprocessing.Height, preprocessing.Width, train.ClassNames.Count);
            using var downloader = new WeightDownloader(options: new XRay.Kaggle.DownloadOptions { Log = stderr.WriteLine });
            using var model = resumedSpec is null ? PretrainedWeights.CreateModel(spec, parse.GetValue(weights)!, trainingSeed, downloader) : ModelFactory.Create(spec, trainingSeed);
            if (preprocessing.Weights is { } loaded && resumedSpec is null)
                stdout.WriteLine($"Pretrained weights: {loaded}; input normalized with mean {string.Join("/", preprocessing.Means)}, std {string.Join("/", preprocessing.Stds)}.");
            if (parse.GetValue(freeze))
                (model as TransferModel ?? throw new ArgumentException(
                    $"--freeze-features needs a transfer arch with a feature extractor (mobilenet-v2, vgg19, resnet18-mlnet), not {spec.Arch}.")).FreezeFeatures();
            options = options with { RunName = $"{spec.Arch} {spec.Height}px" };
            var history = Trainer.Fit(model, train, val, options, callbacks);

            foreach (var c in callbacks)
            {
                if (c is EarlyStopping { StoppedEpoch: > 0 } early) stdout.WriteLine($"Epoch {early.StoppedEpoch + 1}: early stopping");
                if (c is TerminateOnNaN { StoppedAt: { } at })
                {
                    stderr.WriteLine($"error: the loss became NaN or infinite in epoch {at.Epoch + 1}; checkpoint.pt keeps the last good epoch. " +
                                     "Lower --lr and train again.");
                    return 1;
                }
            }
            stdout.WriteLine($"Trained {history.Epochs.Count} epochs. Wrote {Path.Combine(outDir, "checkpoint.pt")}, history.json and {RunLog.FileName} in {outDir}");
            return 0;
        }));
        return command;
    }

    private static List<Callback> Callbacks(ParseResult parse, TextWriter stdout, string monitor, Option<int?> patience, Option<double> minDelta,
        Option<bool> restoreBest, Option<bool> saveBest, Option<bool> reduceLr, Option<int?> halveEvery, string outDir)
    {
        var interactive = ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected;
        var callbacks = new List<Callback> { new ProgressReporter(new ConsoleProgressSink(stdout, interactive)), new TerminateOnNaN() };
        if (parse.GetValue(halveEvery) is { } every)
            callbacks.Add(LearningRateScheduler.HalveEvery(OptionChecks.Positive(every, "--halve-lr-every")));
        if (parse.GetValue(reduceLr)) callbacks.Add(ReduceLROnPlateau.Seed001(monitor));
        if (parse.GetValue(patience) is { } wait)
        {
            if (wait < 0) throw new ArgumentException($"--early-stopping-patience must be 0 or more, got {wait}.");
            callbacks.Add(new EarlyStopping(monitor, OptionChecks.NonNegative(parse.GetValue(minDelta), "--min-delta"), wait,
                restoreBestWeights: parse.GetValue(restoreBest)));
        }
        if (parse.GetValue(saveBest)) callbacks.Add(new ModelCheckpoint(Path.Combine(outDir, "best.pt"), monitor, saveBestOnly: true));
        return callbacks;
    }

    private static void RequireSame<T>(ParseResult parse, Option<T> option, T recorded, string checkpoint)
    {
        if (parse.GetResult(option) is { Implicit: false } && !EqualityComparer<T>.Default.Equals(parse.GetValue(option), recorded))
            throw new ArgumentException($"The checkpoint '{checkpoint}' was trained with {option.Name} {recorded}; leave {option.Name} out or pass {recorded}.");
    }

    /// <summary>Keras' "Found N images belonging to K classes." per split, the loader's decisions, and skipped files on stderr.</summary>
    private static void Describe(ImageDataset dataset, DataLoader train, DataLoader? val, TextWriter stdout, TextWriter stderr)
    {
        foreach (var (name, loader) in new[] { ("train", train), ("val", val) })
        {
            if (loader is null) continue;
            var counts = string.Join(", ", loader.ClassNames.Zip(loader.ClassCounts(), (c, n) => $"{c} {n}"));
            stdout.WriteLine($"{name}: found {loader.SampleCount} images belonging to {loader.ClassNames.Count} classes ({counts}).");
        }
        if (val is null) stdout.WriteLine("No validation data: val_* metrics are not computed (give a val/ folder or --val-split).");
        foreach (var note in dataset.Notes) stdout.WriteLine(note);
        foreach (var skipped in train.Skipped.Concat(val?.Skipped ?? Array.Empty<SkippedFile>()))
            stderr.WriteLine($"warning: skipped {skipped.Path}: {skipped.Reason}");
    }
}
