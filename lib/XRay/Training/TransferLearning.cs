using XRay.Data;
using XRay.Models;

namespace XRay.Training;

/// <summary>
/// The two ways 07-transfer-learning trains a pretrained network: seed 001's (the whole network from the first epoch,
/// Adam at 1e-4, ReduceLROnPlateau on val_loss, the best val_accuracy kept) and the two-phase recipe of keras-io's
/// transfer-learning guide and fastai's <c>fine_tune</c> (the head alone on frozen features, then everything at a
/// lower rate).
/// </summary>
public static class TransferLearning
{
    /// <summary>Seed 001's Adam rate.</summary>
    public const double Seed001LearningRate = 1e-4;

    /// <summary>Seed 001's epochs.</summary>
    public const int Seed001Epochs = 15;

    /// <summary>Seed 001's val_accuracy after its 15th epoch (the blog's log: "val_accuracy: 0.9760").</summary>
    public const double Seed001ValAccuracy = 0.976;

    /// <summary>
    /// Seed 001's two callbacks: ReduceLROnPlateau(val_loss, 0.1, patience 6, min_delta 5e-3, min_lr 5e-9) and
    /// ModelCheckpoint on val_accuracy (mode max, the best only) into <paramref name="outputDirectory"/>/best.pt.
    /// </summary>
    public static Callback[] Seed001Callbacks(string outputDirectory) => new Callback[]
    {
        ReduceLROnPlateau.Seed001(),
        new ModelCheckpoint(Path.Combine(outputDirectory, "best.pt"), monitor: "val_accuracy", saveBestOnly: true),
    };

    /// <summary>
    /// keras-io's and fastai's recipe: <paramref name="headEpochs"/> epochs of the head alone (features frozen, their
    /// batch norms in inference mode) at <paramref name="headLearningRate"/>, then the features unfrozen and the whole
    /// network trained at <paramref name="options"/>' rate for the rest of <paramref name="options"/>' epochs (at
    /// least one). A fresh optimizer starts each phase, as Keras' recompile does; <paramref name="callbacks"/> serve
    /// the second phase. Returns both phases' epochs, numbered on from the first.
    /// </summary>
    public static History FitTwoPhase(TransferModel model, IBatchSource train, IBatchSource? validation, TrainingOptions options,
        int headEpochs, double headLearningRate, IEnumerable<Callback>? callbacks = null, IEnumerable<Callback>? headCallbacks = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(headEpochs, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(headLearningRate);
        var output = options.OutputDirectory;
        model.FreezeFeatures();
        History head;
        try
        {
            head = Trainer.Fit(model, train, validation, options with
            {
                Epochs = headEpochs, LearningRate = headLearningRate,
                OutputDirectory = output is null ? null : Path.Combine(output, "head"),
            }, headCallbacks);
        }
        finally
        {
            model.UnfreezeFeatures();
        }
        var fine = Trainer.Fit(model, train, validation, options with { Epochs = Math.Max(1, options.Epochs - headEpochs) }, callbacks);
        return new History(head.Epochs.Concat(fine.Epochs.Select(e => e with { Epoch = e.Epoch + head.Epochs.Count })));
    }
}
