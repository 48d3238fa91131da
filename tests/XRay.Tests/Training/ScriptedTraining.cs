using XRay.Data;
using XRay.Training;
using static TorchSharp.torch;

namespace XRay.Tests.Training;

/// <summary>
/// Drives callbacks with a scripted sequence of epoch metrics and no training: a one-weight model whose weight is set
/// to the epoch number, so restored weights show which epoch they came from.
/// </summary>
internal sealed class ScriptedTraining : IDisposable
{
    public ScriptedTraining(double learningRate = 1e-3)
    {
        Model = nn.Linear(1, 1);
        Optimizer = optim.SGD(Model.parameters(), learningRate);
        Context = new TrainingContext(Model, Optimizer, new TrainingOptions { Epochs = 100, LearningRate = learningRate },
            new[] { "a", "b" }, new Preprocessing(4, 4));
    }

    public TorchSharp.Modules.Linear Model { get; }
    public optim.Optimizer Optimizer { get; }
    public TrainingContext Context { get; }

    public double Weight => Model.weight.item<float>();

    /// <summary>Runs epochs with the given val_loss (or other monitored) values until a callback stops; returns epochs run.</summary>
    public int Run(Callback callback, IReadOnlyList<double> values, string metric = "val_loss", Action<int>? afterEpoch = null)
    {
        callback.OnFitStart(Context);
        var epoch = 0;
        for (; epoch < values.Count && !Context.StopTraining; epoch++)
        {
            callback.OnEpochStart(Context, epoch);
            using (no_grad()) Model.weight.fill_(epoch);
            var v = values[epoch];
            var record = metric switch
            {
                "val_accuracy" => new EpochRecord(epoch + 1, 1, 0.5, 1, v, Context.LearningRate, 0),
                "loss" => new EpochRecord(epoch + 1, v, 0.5, null, null, Context.LearningRate, 0),
                _ => new EpochRecord(epoch + 1, 1, 0.5, v, 0.5, Context.LearningRate, 0),
            };
            callback.OnEpochEnd(Context, epoch, record);
            afterEpoch?.Invoke(epoch);
        }
        callback.OnFitEnd(Context);
        return epoch;
    }

    public void Dispose()
    {
        Optimizer.Dispose();
        Model.Dispose();
    }
}
