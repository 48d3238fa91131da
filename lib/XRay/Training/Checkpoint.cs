using System.Text;
using System.Text.Json;
using XRay.Data;
using XRay.Models;
using TorchSharp;
using XRay.IO;
using XRay.Runtime;
using static TorchSharp.torch;

namespace XRay.Training;

/// <summary>
/// One file holding everything needed to resume or to predict: the model's state, the optimizer's state, the epoch,
/// the learning rate, the history, the class names, the preprocessing and (for this library's models) the model spec.
/// <para>
/// Format: a Python torch.save file of {name: tensor} (Python's torch.load reads it): the model's tensors under
/// "model.&lt;name&gt;", the optimizer's serialized state as a uint8 tensor "optimizer", and the rest as UTF-8 JSON in a
/// uint8 tensor "meta". The JSON lists every tensor key, so a file missing any part is refused.
/// Written atomically (temp file in the same folder, flush + fsync, rename); a truncated or corrupt file is refused
/// with an <see cref="InvalidDataException"/> naming it.
/// </para>
/// </summary>
public sealed class Checkpoint : IDisposable
{
    public const string Format = "xray-checkpoint";
    public const int Version = 1;
    private const string ModelPrefix = "model.";
    private const string MetaKey = "meta";
    private const string OptimizerKey = "optimizer";
    private const string CallbackPrefix = "callbacks/";

    private Checkpoint(CheckpointMeta meta, Dictionary<string, Tensor> modelState, byte[]? optimizerState,
        Dictionary<string, Tensor> callbackTensors)
    {
        Meta = meta;
        ModelState = modelState;
        OptimizerState = optimizerState;
        this.callbackTensors = callbackTensors;
    }

    private readonly Dictionary<string, Tensor> callbackTensors;

    internal CheckpointMeta Meta { get; }

    /// <summary>Epochs completed when it was written.</summary>
    public int Epoch => Meta.Epoch;

    /// <summary>The learning rate for the next epoch.</summary>
    public double LearningRate => Meta.LearningRate;

    public IReadOnlyList<string> ClassNames => Meta.ClassNames;

    public Preprocessing Preprocessing => Meta.Preprocessing;

    /// <summary>How to rebuild the model (null for a model this library did not build).</summary>
    public ModelSpec? ModelSpec => Meta.ModelSpec;

    public History History => new(Meta.History);

    public TrainingOptions? Options => Meta.Options;

    /// <summary>
    /// The temperature `xray calibrate` fitted (<see cref="Metrics.TemperatureScaling"/>): predictions divide the logits
    /// by it. 1 when never calibrated, and in checkpoints written before calibration existed. Training writes 1 again,
    /// since new weights need a new fit.
    /// </summary>
    public double Temperature => Meta.Temperature;

    /// <summary>The model's parameters and buffers by name; owned by this checkpoint.</summary>
    public IReadOnlyDictionary<string, Tensor> ModelState { get; }

    public byte[]? OptimizerState { get; }

    // ---- writing -----------------------------------------------------------------------------------------

    /// <summary>Writes the training state in <paramref name="context"/> to <paramref name="path"/>, atomically.</summary>
    public static void Save(string path, TrainingContext context) =>
        Save(path, context.Model, context.Optimizer, context.CompletedEpochs, context.History, context.ClassNames,
            context.Preprocessing, context.Options, context.Callbacks);

    public static void Save(string path, nn.Module model, optim.Optimizer? optimizer, int epoch, History history,
        IReadOnlyList<string> classNames, Preprocessing preprocessing, TrainingOptions? options = null,
        IEnumerable<Callback>? callbacks = null)
    {
        using var scope = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>();
        foreach (var (name, value) in model.state_dict()) tensors[ModelPrefix + name] = value;
        if (optimizer is not null) tensors[OptimizerKey] = Bytes(optimizer.StateBytes());
        var callbackStates = new Dictionary<string, Dictionary<string, double>>();
        foreach (var callback in callbacks ?? Enumerable.Empty<Callback>())
        {
            if (callback.StateDict() is not { } state) continue;
            if (!callbackStates.TryAdd(callback.StateKey, state.Values.ToDictionary()))
                throw new InvalidOperationException($"Two callbacks share the state key '{callback.StateKey}'; give one another monitor or path.");
            foreach (var (name, tensor) in state.Tensors ?? new Dictionary<string, Tensor>())
                tensors[$"{CallbackPrefix}{callback.StateKey}/{name}"] = tensor;
        }
        var meta = new CheckpointMeta
        {
            Epoch = epoch,
            LearningRate = optimizer?.LearningRate ?? options?.LearningRate ?? 0,
            ClassNames = classNames.ToArray(),
            Preprocessing = preprocessing,
            ModelSpec = (model as ClassifierModel)?.Spec,
            ModelType = model.GetType().FullName ?? model.GetName(),
            History = history.Epochs.ToArray(),
            Options = options?.ForRecord(),
            Callbacks = callbackStates,
            TensorKeys = tensors.Keys.Append(MetaKey).ToArray(),
        };
        tensors[MetaKey] = Bytes(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(meta, JsonDefaults.Options)));
        TensorFile.Save(tensors, path); // atomic
    }

    /// <summary>
    /// Stores <paramref name="temperature"/> in the checkpoint at <paramref name="path"/>, everything else unchanged, and
    /// rewrites it atomically, so a crash leaves the old file whole.
    /// </summary>
    public static void SaveTemperature(string path, double temperature)
    {
        Metrics.TemperatureScaling.Check(temperature);
        var bytes = File.Exists(path) ? File.ReadAllBytes(path) : throw new FileNotFoundException($"No checkpoint at '{path}'.", path);
        CheckpointMeta meta;
        using (var checkpoint = FromBytes(bytes, path)) meta = checkpoint.Meta with { Temperature = temperature };
        var tensors = TensorFile.LoadFromBytes(bytes, path);
        try
        {
            tensors[MetaKey].Dispose();
            tensors[MetaKey] = Bytes(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(meta, JsonDefaults.Options)));
            TensorFile.Save(tensors, path); // atomic
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    private static Tensor Bytes(byte[] data) => ((ReadOnlySpan<byte>)data).ToTensor(data.Length);

    // ---- reading -----------------------------------------------------------------------------------------

    /// <summary>Reads a checkpoint; a missing, empty, truncated or foreign file gives a clear exception, never a crash.</summary>
    public static Checkpoint Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No checkpoint at '{path}'.", path);
        var bytes = File.ReadAllBytes(path);
        return FromBytes(bytes, path);
    }

    internal static Checkpoint FromBytes(byte[] bytes, string name)
    {
        if (bytes.Length == 0) throw Corrupt(name, "the file is empty");
        Dictionary<string, Tensor> tensors;
        try
        {
            tensors = TensorFile.LoadFromBytes(bytes, name);
        }
        catch (InvalidDataException e)
        {
            throw Corrupt(name, (e.InnerException ?? e).Message.Split('\n')[0]);
        }
        try
        {
            if (!tensors.TryGetValue(MetaKey, out var metaTensor) || metaTensor.dtype != ScalarType.Byte)
                throw Corrupt(name, "it has no checkpoint metadata (is it a plain state dict? load that with model.load(path))");
            CheckpointMeta meta;
            try
            {
                meta = JsonSerializer.Deserialize<CheckpointMeta>(metaTensor.ToArray<byte>(), JsonDefaults.Options)
                       ?? throw Corrupt(name, "its metadata is empty");
            }
            catch (JsonException e)
            {
                throw Corrupt(name, $"its metadata is not valid JSON ({e.Message})");
            }
            if (meta.Format != Format || meta.Version > Version)
                throw Corrupt(name, $"it is format '{meta.Format}' version {meta.Version}, this library reads '{Format}' up to {Version}");
            var missing = meta.TensorKeys.Where(k => !tensors.ContainsKey(k)).ToList();
            if (missing.Count > 0) throw Corrupt(name, $"{missing.Count} of its tensors are missing (first: {missing[0]})");

            var model = tensors.Where(kv => kv.Key.StartsWith(ModelPrefix, StringComparison.Ordinal))
                .ToDictionary(kv => kv.Key[ModelPrefix.Length..], kv => kv.Value);
            var callbackTensors = tensors.Where(kv => kv.Key.StartsWith(CallbackPrefix, StringComparison.Ordinal))
                .ToDictionary(kv => kv.Key[CallbackPrefix.Length..], kv => kv.Value);
            byte[]? optimizer = tensors.TryGetValue(OptimizerKey, out var o) ? o.ToArray<byte>() : null;
            foreach (var (key, t) in tensors)
                if (!key.StartsWith(ModelPrefix, StringComparison.Ordinal) && !key.StartsWith(CallbackPrefix, StringComparison.Ordinal)) t.Dispose();
            return new Checkpoint(meta, model, optimizer, callbackTensors);
        }
        catch
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw;
        }
    }

    private static InvalidDataException Corrupt(string name, string why) =>
        new($"The checkpoint '{name}' cannot be used: {why}. It may be truncated (a copy cut short) or not a checkpoint " +
            "written by this library; use another checkpoint or train again.");

    // ---- using -------------------------------------------------------------------------------------------

    /// <summary>Copies the weights into <paramref name="model"/> (strictly: same architecture) and, if given, the optimizer state.</summary>
    public void RestoreInto(nn.Module model, optim.Optimizer? optimizer = null)
    {
        StateDicts.Load(model, ModelState, strict: true, source: "the checkpoint");
        if (optimizer is null) return;
        if (OptimizerState is null) throw new InvalidDataException("This checkpoint holds no optimizer state, so training cannot resume exactly from it.");
        optimizer.LoadStateBytes(OptimizerState);
        optimizer.LearningRate = LearningRate;
    }

    /// <summary>
    /// Gives each callback the state it had when this checkpoint was written (matched by <see cref="Callback.StateKey"/>;
    /// a callback the checkpoint has no state for starts fresh, as a callback added on resume should). Checkpoints
    /// written before the keys held the monitor's mode are matched by the key they had then.
    /// </summary>
    public void RestoreCallbacks(IEnumerable<Callback> callbacks)
    {
        foreach (var callback in callbacks)
        {
            var key = Meta.Callbacks.ContainsKey(callback.StateKey) ? callback.StateKey : callback.LegacyStateKey;
            if (key is null || !Meta.Callbacks.TryGetValue(key, out var values)) continue;
            var prefix = key + "/";
            var tensors = callbackTensors.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))
                .ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);
            callback.LoadStateDict(new CallbackState(values, tensors));
        }
    }

    /// <summary>Rebuilds the model from its spec and loads the weights, in eval mode on <paramref name="device"/> (CPU by default).</summary>
    public ClassifierModel CreateModel(Device? device = null)
    {
        if (ModelSpec is null)
            throw new InvalidOperationException($"This checkpoint's model ({Meta.ModelType}) was not built by ModelFactory; construct it yourself and call RestoreInto.");
        var model = ModelFactory.Create(ModelSpec);
        RestoreInto(model);
        if (device is not null) model.to(device);
        model.eval();
        return model;
    }

    public void Dispose()
    {
        foreach (var t in ModelState.Values.Concat(callbackTensors.Values)) t.Dispose();
    }
}

/// <summary>The JSON part of a checkpoint.</summary>
internal sealed record CheckpointMeta
{
    public string Format { get; init; } = Checkpoint.Format;
    public int Version { get; init; } = Checkpoint.Version;
    public int Epoch { get; init; }
    public double LearningRate { get; init; }
    public string[] ClassNames { get; init; } = Array.Empty<string>();
    public Preprocessing Preprocessing { get; init; } = new();
    public ModelSpec? ModelSpec { get; init; }
    public string ModelType { get; init; } = "";
    public EpochRecord[] History { get; init; } = Array.Empty<EpochRecord>();
    public TrainingOptions? Options { get; init; }
    public Dictionary<string, Dictionary<string, double>> Callbacks { get; init; } = new();
    public string[] TensorKeys { get; init; } = Array.Empty<string>();

    /// <summary>Temperature scaling's T; absent (so 1) in checkpoints from before `xray calibrate`.</summary>
    public double Temperature { get; init; } = 1;
}
