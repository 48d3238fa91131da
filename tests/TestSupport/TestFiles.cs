using XRay.Imaging;

namespace XRay.TestSupport;

/// <summary>Temporary folders and small image files for the tests.</summary>
internal static class TestFiles
{
    /// <summary>A new empty folder, deleted with the rest of this process's when it exits (<see cref="TestTempRoot"/>).</summary>
    public static string TempFolder(string prefix = "")
    {
        var path = Path.Combine(TestTempRoot.Path, prefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>A gray JPEG whose pixels encode <paramref name="value"/>, so tests can tell images apart.</summary>
    public static void WriteJpeg(string path, int value, int size = 16)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var mat = new PixelImage(size, size, 1);
        Array.Fill(mat.Data, (byte)value);
        File.WriteAllBytes(path, Cv.ImEncodeJpeg(mat, 95));
    }

    public static void WritePng(string path, PixelImage mat)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, Cv.ImEncodePng(mat));
    }
}
