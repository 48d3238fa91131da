namespace XRay.Imaging;

/// <summary>OpenCV's interpolation codes, plus Auto.</summary>
public enum Interpolation
{
    /// <summary>Area when shrinking, linear when enlarging: what OpenCV recommends. The blog's cv2.resize default is Linear,
    /// which skips pixels (aliasing) when shrinking a 2000-px scan to 224.</summary>
    Auto = -1,
    Nearest = 0,
    Linear = 1,
    Cubic = 2,
    Area = 3,
}
