namespace XRay.Models;

/// <summary>Output sizes of convolutions and poolings, to size the first dense layer for any input.</summary>
internal static class ShapeMath
{
    public static int Conv(int size, int kernel, int stride = 1, int padding = 0)
    {
        var output = (size + 2 * padding - kernel) / stride + 1;
        if (size + 2 * padding < kernel || output <= 0)
            throw new ArgumentException($"The input is too small: {size} px cannot pass a {kernel}x{kernel} kernel " +
                                        $"(padding {padding}). Use a larger image size.");
        return output;
    }

    public static int Pool(int size, int kernel = 2) => Conv(size, kernel, kernel);
}
