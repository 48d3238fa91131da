using OpenCvSharp;

namespace XRay.Imaging;

/// <summary>OpenCV's colour maps for <see cref="Cv.ApplyColorMap"/>: cv2.COLORMAP_JET is <see cref="Jet"/>, and so on.</summary>
public enum ColorMap
{
    Autumn = (int)ColormapTypes.Autumn,
    Bone = (int)ColormapTypes.Bone,

    /// <summary>Blue (low) through green and yellow to red (high): Grad-CAM's heat maps.</summary>
    Jet = (int)ColormapTypes.Jet,
    Winter = (int)ColormapTypes.Winter,
    Rainbow = (int)ColormapTypes.Rainbow,
    Ocean = (int)ColormapTypes.Ocean,
    Summer = (int)ColormapTypes.Summer,
    Spring = (int)ColormapTypes.Spring,
    Cool = (int)ColormapTypes.Cool,
    Hsv = (int)ColormapTypes.Hsv,
    Pink = (int)ColormapTypes.Pink,
    Hot = (int)ColormapTypes.Hot,
    Parula = (int)ColormapTypes.Parula,
    Magma = (int)ColormapTypes.Magma,
    Inferno = (int)ColormapTypes.Inferno,
    Plasma = (int)ColormapTypes.Plasma,
    Viridis = (int)ColormapTypes.Viridis,
    Cividis = (int)ColormapTypes.Cividis,
    Twilight = (int)ColormapTypes.Twilight,
    TwilightShifted = (int)ColormapTypes.TwilightShifted,
    Turbo = (int)ColormapTypes.Turbo,
    DeepGreen = (int)ColormapTypes.DeepGreen,
}
