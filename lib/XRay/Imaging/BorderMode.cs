namespace XRay.Imaging;

/// <summary>How warps fill pixels from outside the source (cv::BorderTypes).</summary>
public enum BorderMode
{
    Constant = 0,

    /// <summary>Keras' fill_mode='nearest'.</summary>
    Replicate = 1,
    Reflect = 2,
    Wrap = 3,
    Reflect101 = 4,
}
