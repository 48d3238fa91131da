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
        var o = new TrainOptions();
        var command = new Command("train", "Train a model on an image folder, Keras-style, writing checkpoint.pt, history.json and runs.sqlite.");
        foreach (var option in o.All) command.Options.Add(option);
        command.SetAction(parse => ExpectedErrors.Run(parse.InvocationConfiguration.Error, () => Run(parse, o)));
        return command;
    }

    /// <summary>The command's steps: options, then the checkpoint to resume, the inputs, the data, the model, the fit, the report.</summary>
    private static int Run(ParseResult parse, TrainOptions o)
    {
        var stdout = parse.InvocationConfiguration.Output;
        var stderr = parse.InvocationConfiguration.Error;
        var options = ParseTrainingOptions(parse, o);
        var callbacks = Callbacks(parse, o, stdout, options.OutputDirectory!);
        // Loaded once: its network and inputs decide the run here, and Fit continues from the same object.
        using var resume = options.ResumeFrom is { } path ? Checkpoint.Load(path) : null;
        var inputs = resume is null ? NewInputs(parse, o, stdout) : ResumedInputs(parse, o, resume, options.ResumeFrom!);
        var (train, val) = LoadData(parse, o, options, inputs, stdout, stderr);
        if (parse.GetValue(o.ClassWeights)) options = options with { ClassWeights = train.ClassWeights() };

        var spec = inputs.Spec ?? new ModelSpec(parse.GetValue(o.Arch)!, inputs.Preprocessing.Channels, inputs.Preprocessing.Height,
            inputs.Preprocessing.Width, train.ClassNames.Count);
        var resolved = MixedPrecision.Resolve(options.Precision, options.Device!, inputChannels: spec.Channels); // what Fit will run
        stdout.WriteLine($"Precision: {resolved.Name} ({resolved.Reason}).");
        using var model = BuildModel(parse, o, spec, fromCheckpoint: resume is not null, inputs.Preprocessing, options.Seed, stdout, stderr);
        options = options with { RunName = $"{spec.Arch} {spec.Height}px" };
        var history = Trainer.Fit(model, train, val, options, callbacks, resume);
        return Report(history, callbacks, options.OutputDirectory!, stdout, stderr);
    }

    /// <summary>What the run is given: the network (a resumed run's), the image preparation, and the class order.</summary>
    private sealed record Inputs(ModelSpec? Spec, Preprocessing Preprocessing, IReadOnlyList<string>? ClassOrder);

    /// <summary>The training options from the command line, each checked; refused before any image is read.</summary>
    private static TrainingOptions ParseTrainingOptions(ParseResult parse, TrainOptions o)
    {
        var options = new TrainingOptions
        {
            Epochs = OptionChecks.Positive(parse.GetValue(o.Epochs), "--epochs"),
            BatchSize = OptionChecks.Positive(parse.GetValue(o.Batch), "--batch"),
            Optimizer = OptionChecks.OneOf(parse.GetValue(o.Optimizer)!, "--optimizer", Optimizers),
            LearningRate = OptionChecks.Positive(parse.GetValue(o.Lr), "--lr"),
            Momentum = OptionChecks.NonNegative(parse.GetValue(o.Momentum), "--momentum"),
            WeightDecay = OptionChecks.NonNegative(parse.GetValue(o.WeightDecay), "--weight-decay"),
            L1 = OptionChecks.NonNegative(parse.GetValue(o.L1), "--l1"),
            L2 = OptionChecks.NonNegative(parse.GetValue(o.L2), "--l2"),
            Seed = parse.GetValue(o.Seed),
            Device = DeviceOption.Resolve(parse.GetValue(o.Device)!),
            OutputDirectory = parse.GetValue(o.Output)!,
            ResumeFrom = parse.GetValue(o.Resume),
            Precision = OptionChecks.OneOf(parse.GetValue(o.Precision)!, "--precision", Precisions),
        };
        OptionChecks.ValidationFraction(parse.GetValue(o.ValSplit));
        OptionChecks.OneOf(parse.GetValue(o.Cache)!, "--cache", Caches);
        // fp16 on a CPU, bf16 on a CPU without bf16 instructions: refused here, before any image is read.
        MixedPrecision.Resolve(options.Precision, options.Device!);
        return options;
    }

    /// <summary>A new run: --size, --channels and --weights decide the inputs (pretrained weights bring their own normalization).</summary>
    private static Inputs NewInputs(ParseResult parse, TrainOptions o, TextWriter stdout)
    {
        var side = OptionChecks.Positive(parse.GetValue(o.Size), "--size");
        var asked = new Preprocessing(side, side, OptionChecks.Channels(parse.GetValue(o.Channels)));
        var preprocessing = PretrainedWeights.PreprocessingFor(parse.GetValue(o.Weights), OptionChecks.Architecture(parse.GetValue(o.Arch)!), asked);
        if (preprocessing.Color != asked.Color)
            stdout.WriteLine($"Pretrained weights take RGB: images are decoded with 3 channels (a gray X-ray's value repeated), not {asked.Channels}.");
        return new Inputs(null, preprocessing, null);
    }

    /// <summary>A resumed run is the checkpoint's network on the checkpoint's inputs; an explicit conflicting value is an error.</summary>
    private static Inputs ResumedInputs(ParseResult parse, TrainOptions o, Checkpoint checkpoint, string path)
    {
        var spec = checkpoint.ModelSpec
                   ?? throw new UsageException($"The checkpoint '{path}' holds a model this library did not build; resume it from code.");
        var preprocessing = checkpoint.Preprocessing;
        RequireSame(parse, o.Arch, spec.Arch, path);
        RequireSame(parse, o.Size, preprocessing.Height, path);
        RequireSame(parse, o.Channels, preprocessing.Channels, path);
        if (parse.GetResult(o.Weights) is { Implicit: false })
            throw new UsageException($"--weights starts a new run; '{path}' already holds its weights (trained from {preprocessing.Weights ?? "none"}). Leave --weights out.");
        return new Inputs(spec, preprocessing, checkpoint.ClassNames);
    }

    /// <summary>
    /// The training and validation loaders. Batches reach the training device as uint8 and are normalized there, a
    /// quarter of float32's bytes through the copy.
    /// </summary>
    private static (DataLoader Train, DataLoader? Val) LoadData(ParseResult parse, TrainOptions o, TrainingOptions options, Inputs inputs,
        TextWriter stdout, TextWriter stderr)
    {
        var dataset = ImageDataset.Open(parse.GetValue(o.Data)!, inputs.ClassOrder, parse.GetValue(o.ValSplit), options.Seed);
        var loaderOptions = new DataLoaderOptions
        {
            BatchSize = options.BatchSize,
            Seed = options.Seed,
            Device = options.Device,
            Cache = OptionChecks.OneOf(parse.GetValue(o.Cache)!, "--cache", Caches),
            Transform = parse.GetValue(o.Augment) ? KerasAugmentation.ChestXray : null,
            Balanced = parse.GetValue(o.Balanced),
        };
        var train = DataLoader.FromImageFolder(dataset.Split("train"), inputs.Preprocessing, loaderOptions);
        var val = dataset.Val is null ? null
            : DataLoader.FromImageFolder(dataset.Val, inputs.Preprocessing, loaderOptions with { Shuffle = false, Transform = null, Balanced = false });
        Describe(dataset, train, val, stdout, stderr);
        if (train.SampleCount == 0)
            throw new InvalidDataException($"No usable training images in '{dataset.Layout.Root}'; see the skipped files above.");
        return (train, val);
    }

    /// <summary>The network: a new one (pretrained weights downloaded if asked), or the resumed one's shape (Fit restores its weights).</summary>
    private static ClassifierModel BuildModel(ParseResult parse, TrainOptions o, ModelSpec spec, bool fromCheckpoint, Preprocessing preprocessing,
        long seed, TextWriter stdout, TextWriter stderr)
    {
        ClassifierModel model;
        if (fromCheckpoint) model = ModelFactory.Create(spec, seed);
        else
        {
            using var downloader = new WeightDownloader(options: new XRay.Kaggle.DownloadOptions { Log = stderr.WriteLine });
            model = PretrainedWeights.CreateModel(spec, parse.GetValue(o.Weights)!, seed, downloader);
            if (preprocessing.Weights is { } loaded)
                stdout.WriteLine($"Pretrained weights: {loaded}; input normalized with mean {string.Join("/", preprocessing.Means)}, std {string.Join("/", preprocessing.Stds)}.");
        }
        if (!parse.GetValue(o.Freeze)) return model;
        if (model is TransferModel transfer)
        {
            transfer.FreezeFeatures();
            return model;
        }
        model.Dispose();
        throw new UsageException($"--freeze-features needs a transfer arch with a feature extractor (mobilenet-v2, vgg19, resnet18-mlnet), not {spec.Arch}.");
    }

    /// <summary>How the fit ended: early stopping's line, a diverged loss (exit 1), or what was written.</summary>
    private static int Report(History history, IReadOnlyList<Callback> callbacks, string outDir, TextWriter stdout, TextWriter stderr)
    {
        foreach (var c in callbacks)
        {
            if (c is EarlyStopping { StoppedEpoch: > 0 } early) stdout.WriteLine($"Epoch {early.StoppedEpoch + 1}: early stopping");
            if (c is TerminateOnNaN { StoppedAt: { } at })
            {
                stderr.WriteLine($"error: the loss became NaN or infinite in epoch {at.Epoch + 1}; {CheckpointWriter.FileName} keeps the last good epoch. " +
                                 "Lower --lr and train again.");
                return ExitCodes.Failure;
            }
        }
        stdout.WriteLine($"Trained {history.Epochs.Count} epochs. Wrote {Path.Combine(outDir, CheckpointWriter.FileName)}, {HistoryLogger.FileName} and {RunLog.FileName} in {outDir}");
        return ExitCodes.Ok;
    }

    private static List<Callback> Callbacks(ParseResult parse, TrainOptions o, TextWriter stdout, string outDir)
    {
        var monitor = OptionChecks.OneOf(parse.GetValue(o.Monitor)!, "--monitor", Monitors);
        var interactive = ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected;
        var callbacks = new List<Callback> { new ProgressReporter(new ConsoleProgressSink(stdout, interactive)), new TerminateOnNaN() };
        if (parse.GetValue(o.HalveEvery) is { } every)
            callbacks.Add(LearningRateScheduler.HalveEvery(OptionChecks.Positive(every, "--halve-lr-every")));
        if (parse.GetValue(o.ReduceLr)) callbacks.Add(ReduceLROnPlateau.Seed001(monitor));
        if (parse.GetValue(o.Patience) is { } wait)
            callbacks.Add(new EarlyStopping(monitor, OptionChecks.NonNegative(parse.GetValue(o.MinDelta), "--min-delta"),
                OptionChecks.NonNegative(wait, "--early-stopping-patience"), restoreBestWeights: parse.GetValue(o.RestoreBest)));
        if (parse.GetValue(o.SaveBest)) callbacks.Add(new ModelCheckpoint(Path.Combine(outDir, "best.pt"), monitor, saveBestOnly: true));
        return callbacks;
    }

    /// <summary>The command's options, so each step reads the ones it needs.</summary>
    private sealed class TrainOptions
    {
        public readonly Option<string> Data = new("--data") { Description = "Dataset folder: train/ (val/, test/) with one sub-folder per class, either Kaggle layout", Required = true };
        public readonly Option<string> Output = new("--out") { Description = "Folder for checkpoint.pt, history.json and runs.sqlite", Required = true };
        public readonly Option<string> Arch = new("--arch") { Description = $"Architecture: {string.Join("|", ModelFactory.Architectures)}", DefaultValueFactory = _ => ModelFactory.BlogCnnArch };
        public readonly Option<int> Size = new("--size") { Description = "Images are resized to PX x PX (seed 002: 255, seed 000: 224)", DefaultValueFactory = _ => 150 };
        public readonly Option<int> Channels = new("--channels") { Description = "1: grayscale, 3: RGB (ImageNet weights need 3)", DefaultValueFactory = _ => 1 };
        public readonly Option<int> Epochs = new("--epochs") { Description = "Total epochs; a resumed run continues up to this number", DefaultValueFactory = _ => 10 };
        public readonly Option<int> Batch = new("--batch") { Description = "Batch size", DefaultValueFactory = _ => 32 };
        public readonly Option<string> Optimizer = new("--optimizer") { Description = "adam|adamw|sgd|rmsprop", DefaultValueFactory = _ => "adam" };
        public readonly Option<double> Lr = new("--lr") { Description = "Initial learning rate (Keras' Adam default 1e-3; seed 001: 1e-4)", DefaultValueFactory = _ => 1e-3 };
        public readonly Option<double> Momentum = new("--momentum") { Description = "Momentum for sgd and rmsprop" };
        public readonly Option<double> WeightDecay = new("--weight-decay") { Description = "Optimizer weight decay (decoupled for adamw)" };
        public readonly Option<double> L1 = new("--l1") { Description = "Keras-style L1 penalty on every kernel (seed 003 tries 5e-7)" };
        public readonly Option<double> L2 = new("--l2") { Description = "Keras-style L2 penalty on every kernel (seed 003 tries 5e-7)" };
        public readonly Option<long> Seed = new("--seed") { Description = "Seeds the weights, the shuffle, the validation split, augmentation and dropout", DefaultValueFactory = _ => 42 };
        public readonly Option<double> ValSplit = new("--val-split") { Description = "When val/ is missing or tiny, hold out this stratified fraction of train for validation; 0: none", DefaultValueFactory = _ => 0.2 };
        public readonly Option<bool> Augment = new("--augment") { Description = "Keras ImageDataGenerator transforms on the fly: seed 002's zoom_range=0.2, without its vertical_flip (chest X-rays are not up-down symmetric)" };
        public readonly Option<bool> ClassWeights = new("--class-weights") { Description = "Weight the loss by inverse class frequency (class_weight='balanced')" };
        public readonly Option<bool> Balanced = new("--balanced") { Description = "Draw every class equally often (with replacement) instead of each image once per epoch" };
        public readonly Option<string> Monitor = new("--monitor") { Description = "Metric for early stopping, --save-best and --reduce-lr-on-plateau: val_loss|val_accuracy|val_precision|val_recall|val_f1 (or the training ones without val_)", DefaultValueFactory = _ => "val_loss" };
        public readonly Option<int?> Patience = new("--early-stopping-patience") { Description = "EarlyStopping: stop after N epochs without improvement of --monitor (off when not given)" };
        public readonly Option<double> MinDelta = new("--min-delta") { Description = "EarlyStopping's min_delta: smaller changes are no improvement" };
        public readonly Option<bool> RestoreBest = new("--restore-best-weights") { Description = "EarlyStopping's restore_best_weights: end with the best epoch's weights" };
        public readonly Option<bool> SaveBest = new("--save-best") { Description = "ModelCheckpoint(save_best_only): also write best.pt whenever --monitor improves" };
        public readonly Option<bool> ReduceLr = new("--reduce-lr-on-plateau") { Description = "ReduceLROnPlateau on --monitor with seed 001's settings: factor 0.1, patience 6, min_delta 5e-3, min_lr 5e-9" };
        public readonly Option<int?> HalveEvery = new("--halve-lr-every") { Description = "LearningRateScheduler as seed 002 (N=10): halve the rate when epoch % N == 0, epoch 0 included" };
        public readonly Option<string?> Resume = new("--resume") { Description = "Continue from a checkpoint: its weights, optimizer state, history and epoch; architecture, size and channels come from it" };
        public readonly Option<string> Cache = new("--cache") { Description = "Decoded-image cache: disk (memory + $XRAY_CACHE_DIR or ~/.cache/xray), memory or none", DefaultValueFactory = _ => "disk" };
        public readonly Option<string> Weights = new("--weights")
        {
            Description = "Pretrained feature weights: none, imagenet (the arch's default: torchvision's DEFAULT, Keras' for mobilenet, the NuGet " +
                          "package's for resnet18-mlnet), a set from `xray weights list`, or a file. Their input (RGB, their normalization) is " +
                          "applied and recorded in the checkpoint",
            DefaultValueFactory = _ => "none",
        };
        public readonly Option<bool> Freeze = new("--freeze-features") { Description = "Train the head only (transfer archs); by default pretrained weights train with the whole network, as seed 001" };
        public readonly Option<string> Precision = new("--precision") { Description = "Forward-pass arithmetic: auto|fp32|bf16|fp16. bf16 and fp16 run libtorch's autocast (weights and checkpoints stay fp32); bf16 needs a GPU or a CPU with avx512_bf16/amx_bf16, fp16 a GPU. auto is bf16 for 1-channel networks on a CPU with bf16 instructions (measured faster at the same accuracy: bench/README.md), fp32 elsewhere", DefaultValueFactory = _ => "auto" };
        public readonly Option<string> Device = DeviceOption.Create();

        public IEnumerable<Option> All => new Option[]
        {
            Data, Output, Arch, Size, Channels, Epochs, Batch, Optimizer, Lr, Momentum, WeightDecay, L1, L2, Seed, ValSplit, Augment,
            ClassWeights, Balanced, Monitor, Patience, MinDelta, RestoreBest, SaveBest, ReduceLr, HalveEvery, Resume, Cache, Weights, Freeze, Precision, Device,
        };
    }

    private static void RequireSame<T>(ParseResult parse, Option<T> option, T recorded, string checkpoint)
    {
        if (parse.GetResult(option) is { Implicit: false } && !EqualityComparer<T>.Default.Equals(parse.GetValue(option), recorded))
            throw new UsageException($"The checkpoint '{checkpoint}' was trained with {option.Name} {recorded}; leave {option.Name} out or pass {recorded}.");
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
