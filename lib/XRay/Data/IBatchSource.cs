namespace XRay.Data;

/// <summary>
/// What training and evaluation consume: one call to <see cref="GetBatches"/> is one epoch. The epoch number
/// seeds the shuffle, so epoch 3 yields the same order whether or not training was resumed after epoch 2.
/// The caller disposes each batch.
/// </summary>
public interface IBatchSource
{
    /// <summary>Class names in label order (label i is ClassNames[i]).</summary>
    IReadOnlyList<string> ClassNames { get; }

    /// <summary>Samples per epoch.</summary>
    int SampleCount { get; }

    /// <summary>Batches per epoch.</summary>
    int BatchCount { get; }

    /// <summary>Samples per batch (the last may hold fewer); null where the source has no one size.</summary>
    int? BatchSize => null;

    /// <summary>How the images were prepared, recorded in checkpoints so prediction prepares them the same way.</summary>
    Preprocessing Preprocessing { get; }

    IEnumerable<Batch> GetBatches(int epoch);
}
