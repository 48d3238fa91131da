namespace XRay.Weights;

/// <summary>Who publishes a weight set, which decides its cache folder and file format.</summary>
public enum WeightSource
{
    /// <summary>torchvision's files on download.pytorch.org, cached in torch hub's checkpoints folder (pickle or zip).</summary>
    Torchvision,

    /// <summary>Keras' applications files (HDF5), cached in Keras' models folder.</summary>
    Keras,

    /// <summary>A file inside a NuGet package that the build restores (no download: works offline).</summary>
    NuGet,
}
