namespace XRay.Classic;

/// <summary>
/// A classic classifier's hyperparameters. Null means ML.NET's own default for that trainer. Training runs on
/// <see cref="ThreadsUsed"/> threads with <see cref="Seed"/>, so the same features and options give the same model.
/// </summary>
public sealed record ClassicOptions
{
    public ClassicAlgorithm Algorithm { get; init; } = ClassicAlgorithm.LightGbm;

    /// <summary>Boosting rounds (LightGBM), trees (FastTree, per class) or the L-BFGS iteration limit (linear). Default 100.</summary>
    public int Iterations { get; init; } = 100;

    /// <summary>Shrinkage of each tree (LightGBM: chosen by ML.NET when null; FastTree: 0.2).</summary>
    public double? LearningRate { get; init; }

    /// <summary>FastTree's shrinkage when <see cref="LearningRate"/> is null (ML.NET's own default).</summary>
    public const double FastTreeLearningRate = 0.2;

    /// <summary>
    /// The learning rate training really uses, for the run log: FastTree's default filled in; null for LightGBM when
    /// ML.NET chooses it, and for the linear model, whose L-BFGS has none.
    /// </summary>
    public double? LearningRateUsed => Algorithm switch
    {
        ClassicAlgorithm.FastTree => LearningRate ?? FastTreeLearningRate,
        ClassicAlgorithm.LightGbm => LearningRate,
        _ => null,
    };

    /// <summary>Leaves per tree (ML.NET: 20 for FastTree; chosen by ML.NET for LightGBM).</summary>
    public int? Leaves { get; init; }

    /// <summary>Fewest training images in a leaf (ML.NET: 10 for FastTree; chosen by ML.NET for LightGBM). Lower it for tiny sets.</summary>
    public int? MinimumExamplesPerLeaf { get; init; }

    /// <summary>L2 penalty of the linear model (ML.NET: 1).</summary>
    public float? L2 { get; init; }

    /// <summary>L1 penalty of the linear model (ML.NET: 1).</summary>
    public float? L1 { get; init; }

    /// <summary>Seeds MLContext and the trainers.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>
    /// Training threads; null: <see cref="ThreadsUsed"/>'s default. For LightGBM and the linear model one thread keeps
    /// results identical from run to run, and more may change the last digits. FastTree's trees are the same on any
    /// number of threads.
    /// </summary>
    public int? Threads { get; init; }

    /// <summary>
    /// The threads training really uses: <see cref="Threads"/>, or by default one for LightGBM and the linear model and
    /// every core for FastTree. ML.NET's FastTree schedules each feature of each split as a task of its own when given
    /// one thread, so one thread costs it several times the CPU time of two.
    /// </summary>
    public int ThreadsUsed => Threads ?? (Algorithm == ClassicAlgorithm.FastTree ? Environment.ProcessorCount : 1);
}
