using XRay.Models;

namespace XRay.Training.Experiments;

/// <summary>
/// One run of seed 003's comparison: every column of its table that a row can change. The defaults are seed 003's CNN row
/// at full scale (CNN, 150 px, 40 epochs, batch 100, RMSprop at 1e-4, no regularization, dropout or augmentation);
/// a notebook scales the image size and epochs down for the CPU.
/// </summary>
public sealed record ExperimentSettings
{
    /// <summary>cnn (the configurable CNN, <see cref="CnnOptions"/>'s defaults), mlp or vgg19.</summary>
    public string Arch { get; init; } = ModelFactory.CnnArch;

    /// <summary>Square input size in pixels (seed 003: 150 or 210).</summary>
    public int ImageSize { get; init; } = 150;

    /// <summary>Most epochs a run trains (seed 003's "epoch" column: 40 or 100).</summary>
    public int Epochs { get; init; } = 40;

    /// <summary>Images per step (seed 003's "batch" column: 100; 5 and 25 in its VGG19 rows).</summary>
    public int BatchSize { get; init; } = 100;

    /// <summary>Seed 003: 1e-4 or 2e-5.</summary>
    public double LearningRate { get; init; } = 1e-4;

    /// <summary>Seed 003 uses RMSprop in every row.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.RmsProp;

    /// <summary>Keras-style L1 penalty on every kernel (seed 003: 5e-7).</summary>
    public double L1 { get; init; }

    /// <summary>Keras-style L2 penalty on every kernel (seed 003: 5e-7).</summary>
    public double L2 { get; init; }

    /// <summary>Dropout after each convolutional block of the CNN, or each hidden layer of the MLP (seed 003: 5 %).</summary>
    public double Dropout { get; init; }

    /// <summary>Train on augmented images (ours: KerasAugmentation.ChestXray, zoom without flips).</summary>
    public bool Augment { get; init; }

    /// <summary>Early stopping on val_loss with this patience, restoring the best weights; 0 = off.</summary>
    public int EarlyStoppingPatience { get; init; }

    /// <summary>The settings whose values differ from <paramref name="other"/>'s, as "Name: theirs → ours".</summary>
    public IReadOnlyList<string> DifferencesFrom(ExperimentSettings other)
    {
        var changes = new List<string>();
        void Check<T>(string name, T mine, T theirs)
        {
            if (!EqualityComparer<T>.Default.Equals(mine, theirs))
                changes.Add(FormattableString.Invariant($"{name}: {theirs} → {mine}"));
        }
        Check(nameof(Arch), Arch.ToLowerInvariant(), other.Arch.ToLowerInvariant());
        Check(nameof(ImageSize), ImageSize, other.ImageSize);
        Check(nameof(Epochs), Epochs, other.Epochs);
        Check(nameof(BatchSize), BatchSize, other.BatchSize);
        Check(nameof(LearningRate), LearningRate, other.LearningRate);
        Check(nameof(Optimizer), Optimizer, other.Optimizer);
        Check(nameof(L1), L1, other.L1);
        Check(nameof(L2), L2, other.L2);
        Check(nameof(Dropout), Dropout, other.Dropout);
        Check(nameof(Augment), Augment, other.Augment);
        Check(nameof(EarlyStoppingPatience), EarlyStoppingPatience, other.EarlyStoppingPatience);
        return changes;
    }

    /// <summary>The model these settings train: the arch at ImageSize, with Dropout in the CNN's blocks or the MLP's hidden layers.</summary>
    public ModelSpec Spec(int channels, int classes) => new(Arch, channels, ImageSize, ImageSize, classes)
    {
        Cnn = new CnnOptions { Dropout = Dropout },
        Mlp = new MlpOptions { Dropout = Dropout },
    };
}
