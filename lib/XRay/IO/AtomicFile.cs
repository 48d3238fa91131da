namespace XRay.IO;

/// <summary>Writes a whole file or nothing: a killed process never leaves half a checkpoint, CSV or history.</summary>
public static class AtomicFile
{
    /// <summary>Temp file in the same folder, flush + fsync, then rename over <paramref name="path"/>.</summary>
    public static void Write(string path, byte[] bytes) => Write(path, stream => stream.Write(bytes));

    /// <summary>As <see cref="Write(string, byte[])"/>, for content produced by a writer callback.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        var (full, temp) = Prepare(path);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static (string full, string temp) Prepare(string path)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        return (full, Path.Combine(folder, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp"));
    }

    private static void TryDelete(string temp)
    {
        try { File.Delete(temp); } catch (IOException) { }
    }
}
