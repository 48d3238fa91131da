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
    /// each epoch, and returns the history. With <see cref="TrainingOptions.OutputDirectory"/> it also writes
    /// checkpoint.pt (every epoch, atomically), history.json and a row in runs.sqlite. With
    /// <see cref="TrainingOptions.ResumeFrom"/> it continues from a checkpoint: on the CPU the resumed epochs give the
    /// same losses as an uninterrupted run with the same seed.
    /// </summary>
    public static History Fit(nn.Module<Tensor, Tensor> model, IBatchSource train, IBatchSource? validation,
        TrainingOptions options, IEnumerable<Callback>? callbacks = null)
    {
        if (options.Epochs < 0) throw new ArgumentOutOfRangeException(nameof(options), options.Epochs, "Epochs must be >= 0.");
        var device = options.Device ?? Devices.Default;
        var channelsLast = options.ChannelsLast ?? ChannelsLast.DefaultFor(device, model);
        var precision = MixedPrecision.Resolve(options.Precision, device); // before anything moves: a refused precision costs nothing
        model.to(device);
        if (channelsLast) model.ToChannelsLast();
        using var nchwConvsInFp32 = precision.AutocastType == ScalarType.BFloat16 && device.type == DeviceType.CPU
            ? Autocast.KeepNchwConvolutionsInFp32(model, device) : null;

        var history = new History();
        using var resume = options.ResumeFrom is null ? null : Checkpoint.Load(options.ResumeFrom);
        if (resume is not null)
        {
            if (!resume.ClassNames.SequenceEqual(train.ClassNames))
                throw new InvalidOperationException(
                    $"The checkpoint '{options.ResumeFrom}' was trained on classes [{string.Join(", ", resume.ClassNames)}], " +
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
        };
        var all = (callbacks ?? Enumerable.Empty<Callback>()).ToList();
        string? checkpointPath = null;
        RunLog? runLog = null;
        long runId = 0;
        if (options.OutputDirectory is { } output)
        {
            Directory.CreateDirectory(output);
            checkpointPath = Path.Combine(output, "checkpoint.pt");
            all.Add(new HistoryLogger(Path.Combine(output, "history.json")));
            runLog = RunLog.Open(Path.Combine(output, RunLog.FileName));
            runId = runLog.StartRun(model, options, device, train, checkpointPath);
        }

        var clock = Stopwatch.StartNew();
        var status = "running";
        try
        {
            context.Callbacks = all;
            foreach (var c in all) c.OnFitStart(context);
            // Early stopping's wait, the plateau counters and the best values continue where they were (Lightning's
            // callback state_dict), so a resumed run stops, lowers the rate and keeps best.pt as an uninterrupted one would.
            resume?.RestoreCallbacks(all);
            for (var epoch = context.CompletedEpochs; epoch < options.Epochs && !context.StopTraining; epoch++)
            {
                var record = RunEpoch(context, all, train, validation, epoch, device, channelsLast, classWeights);
                history.Add(record);
                foreach (var c in all) c.OnEpochEnd(context, epoch, record);
                // The trainer's own checkpoint comes last, so it holds what callbacks changed (a reduced rate, restored weights);
                // a diverged epoch never replaces the last good one.
                if (checkpointPath is not null && double.IsFinite(record.Loss)) context.SaveCheckpoint(checkpointPath);
                runLog?.LogEpoch(runId, record);
            }
            foreach (var c in all) c.OnFitEnd(context);
            status = context.StopReason is null ? "completed" : "stopped: " + context.StopReason;
            return history;
        }
        catch (Exception e)
        {
            status = $"failed: {e.GetType().Name}: {e.Message}";
            throw;
        }
        finally
        {
            runLog?.FinishRun(runId, history, clock.Elapsed.TotalSeconds, status);
            runLog?.Dispose();
        }
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
                    var logs = new BatchLogs(train.BatchCount, samples, batch.Count, detached, lossSum, confusion);
                    foreach (var c in callbacks) c.OnBatchEnd(context, batchIndex, logs);
                }
            }
            batchIndex++;
            if (context.StopTraining) break;
        }
        if (samples == 0) throw new InvalidOperationException("The training data yielded no batches; check the data folder and split.");

        var trainLoss = lossSum.item<double>() / samples;
        var trained = new ClassificationReport(confusion.ToMatrix());
        var stoppedMidEpoch = context.StopTraining && batchIndex < train.BatchCount;
        (double Loss, ConfusionMatrix Matrix)? val = null;
        if (validation is not null && !stoppedMidEpoch)
            using (Autocast.Enter(device, autocastType)) val = EvaluateWithMatrix(model, validation, device, channelsLast);
        var validated = val is null ? null : new ClassificationReport(val.Value.Matrix);
        return new EpochRecord(epoch + 1, trainLoss, trained.Accuracy, val?.Loss, validated?.Accuracy, learningRate, clock.Elapsed.TotalSeconds)
        {
            Precision = trained.MacroAverage.Precision,
            Recall = trained.MacroAverage.Recall,
            F1 = trained.MacroAverage.F1,
            ValPrecision = validated?.MacroAverage.Precision,
            ValRecall = validated?.MacroAverage.Recall,
            ValF1 = validated?.MacroAverage.F1,
        };
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

    private static Tensor? Penalty(nn.Module model, TrainingOptions options)
    {
        var own = (model as IRegularizedModel)?.RegularizationLoss();
        var global = Regularization.Penalty(Regularization.Kernels(model), options.L1, options.L2);
        if (own is null) return global;
        if (global is null) return own;
        return own + global;
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
