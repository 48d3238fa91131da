namespace XRay.Augmentation;

/// <summary>Shared pixel helpers of the augmentations.</summary>
internal static class Pixels
{
    public static byte Saturate(double value) =>
        (byte)Math.Clamp(Math.Round(value, MidpointRounding.ToEven), 0, 255);

    public static byte Wrap(int value) => (byte)(value & 0xFF);
}
