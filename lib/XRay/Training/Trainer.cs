using System.Diagnostics;
using XRay.Data;
using XRay.Metrics;
using XRay.Models;
using TorchSharp;
using XRay.Runtime;
using static TorchSharp.torch;

namespace XRay.Training;

/// <summary>
/// Keras' model.fit for this library's modules: one forward, backward and optimizer step per batch, metrics
/// accumulated on the device, evaluation in inference mode, callbacks around it all.
/// </summary>
public static class Trainer
{
    /// <summary>
    /// Trains <paramref name="model"/> on <paramref name="train"/>, validating on <paramref name="validation"/> after
    /// each epoch, and returns the history. With <see cref="TrainingOptions.OutputDirectory"/> it adds the callbacks
    /// that write checkpoint.pt (every epoch, atomically), history.json and a row in runs.sqlite
    /// (<see cref="DefaultCallbacks"/>). With <paramref name="resume"/> (or <see cref="TrainingOptions.ResumeFrom"/>,
    /// loaded here) it continues from a checkpoint: on the CPU the resumed epochs give the same losses as an
    /// uninterrupted run with the same seed. A <paramref name="resume"/> given stays the caller's to dispose.
    /// </summary>
    public static History Fit(nn.Module<Tensor, Tensor> model, IBatchSource train, IBatchSource? validation,
        TrainingOptions options, IEnumerable<Callback>? callbacks = null, Checkpoint? resume = null)
    {
        if (options.Epochs < 0) throw new ArgumentOutOfRangeException(nameof(options), options.Epochs, "Epochs must be >= 0.");
        // The source batches: the run log and checkpoint record the size it uses, not a default nobody applied.
        if (train.BatchSize is { } batchSize) options = options with { BatchSize = batchSize };
        var device = options.Device ?? Devices.Default;
        var channelsLast = options.ChannelsLast ?? ChannelsLast.DefaultFor(device, model);
        // Before anything moves: a refused precision costs nothing. Auto depends on the input's channels (MixedPrecision.Resolve).
        var precision = MixedPrecision.Resolve(options.Precision, device, inputChannels: (model as ClassifierModel)?.Spec.Channels);
        model.to(device);
        if (channelsLast) model.ToChannelsLast();

        using var loaded = resume is null && options.ResumeFrom is { } path ? Checkpoint.Load(path) : null;
        resume ??= loaded;
        var history = new History();
        if (resume is not null)
        {
            if (!resume.ClassNames.SequenceEqual(train.ClassNames))
                throw new InvalidOperationException(
                    $"The checkpoint '{options.ResumeFrom ?? "to resume"}' was trained on classes [{string.Join(", ", resume.ClassNames)}], " +
                    $"the data has [{string.Join(", ", train.ClassNames)}].");
            history = resume.History;
        }
        using var optimizer = CreateOptimizer(model, options);
        resume?.RestoreInto(model, optimizer);
        using var classWeights = ClassWeights(options, train.ClassNames.Count, device);

        var context = new TrainingContext(model, optimizer, options, train.ClassNames, train.Preprocessing, history, train.BatchCount)
        {
            Precision = precision,
            Scaler = precision.ScalesLoss ? new GradScaler() : null,
            Device = device,
            SampleCount = train.SampleCount,
        };
        var all = DefaultCallbacks(options, callbacks ?? Enumerable.Empty<Callback>());
        context.Callbacks = all;
        try
        {
            foreach (var c in all) c.OnFitStart(context);
            // Early stopping's wait, the plateau counters and the best values continue where they were (Lightning's
            // callback state_dict), so a resumed run stops, lowers the rate and keeps best.pt as an uninterrupted one would.
            resume?.RestoreCallbacks(all);
            for (var epoch = context.CompletedEpochs; epoch < options.Epochs && !context.StopTraining; epoch++)
            {
                var record = RunEpoch(context, all, train, validation, epoch, device, channelsLast, classWeights);
                history.Add(record);
                foreach (var c in all) c.OnEpochEnd(context, epoch, record);
            }
            foreach (var c in all) c.OnFitEnd(context);
            return history;
        }
        catch (Exception e)
        {
            foreach (var c in all) c.OnException(context, e);
            throw;
        }
    }

    /// <summary>
    /// <paramref name="callbacks"/> with what an output folder adds: first a <see cref="RunLogger"/> (runs.sqlite, so
    /// a failure in any other callback is recorded), last a <see cref="HistoryLogger"/> (history.json) and the
    /// <see cref="CheckpointWriter"/> (checkpoint.pt), which then holds what every other callback changed.
    /// </summary>
    public static List<Callback> DefaultCallbacks(TrainingOptions options, IEnumerable<Callback> callbacks)
    {
        if (options.OutputDirectory is not { } output) return callbacks.ToList();
        Directory.CreateDirectory(output);
        var checkpoint = Path.Combine(output, CheckpointWriter.FileName);
        return callbacks
            .Prepend(new RunLogger(Path.Combine(output, RunLog.FileName), checkpoint))
            .Append(new HistoryLogger(Path.Combine(output, HistoryLogger.FileName)))
            .Append(new CheckpointWriter(checkpoint))
            .ToList();
    }

    private static EpochRecord RunEpoch(TrainingContext context, List<Callback> callbacks, IBatchSource train,
        IBatchSource? validation, int epoch, Device device, bool channelsLast, Tensor? classWeights)
    {
        var model = context.Model;
        var autocastType = context.Precision.AutocastType;
        var trainable = context.Scaler is null ? null : model.parameters().Where(p => p.requires_grad).ToList();
        var clock = Stopwatch.StartNew();
        // Dropout draws from libtorch's generator: seeding it per epoch makes epoch N the same whether or not the run was resumed.
        manual_seed(unchecked(context.Options.Seed * 1_000_003 + epoch));
        foreach (var c in callbacks) c.OnEpochStart(context, epoch);
        var learningRate = context.LearningRate;
        model.train();

        using var lossSum = zeros(new long[] { }, ScalarType.Float64, device);
        using var confusion = new DeviceConfusion(train.ClassNames.Count, device);
        var samples = 0;
        var batchIndex = 0;
        foreach (var batch in train.GetBatches(epoch))
        {
            using (batch)
            using (var scope = NewDisposeScope())
            {
                foreach (var c in callbacks) c.OnBatchStart(context, batchIndex);
                var (x, y) = batch.ToDevice(device, channelsLast);
                Tensor logits;
                using (Autocast.Enter(device, autocastType)) logits = model.call(x); // (B, units)
                // The loss, its penalty and everything after in fp32, as autocast's lists keep them.
                if (logits.dtype != ScalarType.Float32) logits = logits.to(ScalarType.Float32);
                var loss = ClassifierOutput.Loss(logits, y, classWeights);
                if (Penalty(model, context.Options) is { } penalty) loss = loss + penalty;

                context.Optimizer.zero_grad();
                if (context.Scaler is { } scaler)
                {
                    scaler.ScaleLoss(loss).backward();
                    scaler.Step(context.Optimizer, trainable!);
                }
                else
                {
                    loss.backward();
                    context.Optimizer.step();
                }

                using (no_grad())
                {
                    var detached = loss.detach();
                    lossSum.add_(detached.to(ScalarType.Float64) * batch.Count);
                    confusion.Add(y, ClassifierOutput.Predict(logits));
                    samples += batch.Count;
                    var batchLogs = new BatchLogs(train.BatchCount, samples, batch.Count, detached, lossSum, confusion);
                    foreach (var c in callbacks) c.OnBatchEnd(context, batchIndex, batchLogs);
                }
            }
            batchIndex++;
            if (context.StopTraining) break;
        }
        if (samples == 0) throw new InvalidOperationException("The training data yielded no batches; check the data folder and split.");

        var metrics = context.Options.Metrics;
        var trained = new ClassificationReport(confusion.ToMatrix());
        var logs = new List<KeyValuePair<string, double>> { new("loss", lossSum.item<double>() / samples) };
        logs.AddRange(metrics.Select(m => KeyValuePair.Create(m.Name, m.Compute(trained))));
        var stoppedMidEpoch = context.StopTraining && batchIndex < train.BatchCount;
        if (validation is not null && !stoppedMidEpoch)
        {
            (double Loss, ConfusionMatrix Matrix) val;
            // In fp32 whatever the training precision: the logged val metrics, and what EarlyStopping and ModelCheckpoint
            // judge, are then what Evaluate and `xray evaluate` give for these weights on any machine.
            val = EvaluateWithMatrix(model, validation, device, channelsLast);
            var validated = new ClassificationReport(val.Matrix);
            logs.Add(new("val_loss", val.Loss));
            logs.AddRange(metrics.Select(m => KeyValuePair.Create("val_" + m.Name, m.Compute(validated))));
        }
        logs.Add(new("lr", learningRate));
        return new EpochRecord(epoch + 1, logs, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Keras' model.evaluate: mean loss and accuracy over a data source, in eval and inference mode (no class weights).</summary>
    public static (double Loss, double Accuracy) Evaluate(nn.Module<Tensor, Tensor> model, IBatchSource data, Device? device = null,
        bool? channelsLast = null)
    {
        var (loss, matrix) = EvaluateWithMatrix(model, data, device, channelsLast);
        return (loss, (double)matrix.Correct / matrix.Total);
    }

    /// <summary>As <see cref="Evaluate"/>, with the confusion matrix the other metrics come from (one host sync at the end).</summary>
    public static (double Loss, ConfusionMatrix Matrix) EvaluateWithMatrix(nn.Module<Tensor, Tensor> model, IBatchSource data,
        Device? device = null, bool? channelsLast = null)
    {
        var target = device ?? model.parameters().FirstOrDefault()?.device ?? CPU;
        using var lossSum = zeros(new long[] { }, ScalarType.Float64, target);
        using var confusion = new DeviceConfusion(data.ClassNames.Count, target);
        var samples = 0;
        Inference.ForEachBatch(model, data, target, channelsLast, (batch, y, logits) =>
        {
            if (logits.dtype != ScalarType.Float32) logits = logits.to(ScalarType.Float32); // autocast's bf16/fp16 output
            lossSum.add_(ClassifierOutput.Loss(logits, y).to(ScalarType.Float64) * batch.Count);
            confusion.Add(y, ClassifierOutput.Predict(logits));
            samples += batch.Count;
        });
        if (samples == 0) throw new InvalidOperationException("The evaluation data yielded no batches.");
        return (lossSum.item<double>() / samples, confusion.ToMatrix());
    }

    /// <summary>One penalty over the kernels: the fit's L1 and L2 plus those the model's spec carries.</summary>
    private static Tensor? Penalty(nn.Module model, TrainingOptions options)
    {
        var (l1, l2) = (model as IRegularizedModel)?.KernelRegularization ?? (0, 0);
        return Regularization.Penalty(Regularization.Kernels(model), options.L1 + l1, options.L2 + l2);
    }

    /// <summary>The optimizer over the parameters that learn (frozen ones are left out, as Keras' compile does).</summary>
    public static optim.Optimizer CreateOptimizer(nn.Module model, TrainingOptions options)
    {
        var parameters = model.parameters().Where(p => p.requires_grad).ToList();
        if (parameters.Count == 0) throw new InvalidOperationException("Every parameter is frozen: nothing to train. Unfreeze some layers.");
        return options.Optimizer switch
        {
            OptimizerKind.Adam => optim.Adam(parameters, options.LearningRate, weight_decay: options.WeightDecay),
            OptimizerKind.AdamW => optim.AdamW(parameters, options.LearningRate, weight_decay: options.WeightDecay),
            OptimizerKind.Sgd => optim.SGD(parameters, options.LearningRate, options.Momentum, weight_decay: options.WeightDecay),
            OptimizerKind.RmsProp => optim.RMSProp(parameters, options.LearningRate, weight_decay: options.WeightDecay, momentum: options.Momentum),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Optimizer, "Unknown optimizer."),
        };
    }

    private static Tensor? ClassWeights(TrainingOptions options, int classes, Device device)
    {
        if (options.ClassWeights is not { } weights) return null;
        if (weights.Length != classes)
            throw new ArgumentException($"ClassWeights has {weights.Length} entries but the data has {classes} classes.");
        return tensor(weights.Select(w => (float)w).ToArray(), new long[] { classes }, device: device);
    }
}
