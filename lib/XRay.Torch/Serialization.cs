using System.Runtime.InteropServices;
using XRay.Torch.Interop;

namespace XRay.Torch;

public static partial class torch
{
    /// <summary>
    /// Writes {name: tensor} in the format of Python's <c>torch.save(dict, path)</c>, so Python reads it with
    /// torch.load. The file is written atomically: a temp file in the same folder, flushed to disk, then renamed.
    /// </summary>
    public static void save(IReadOnlyDictionary<string, Tensor> tensors, string path)
    {
        var bytes = SaveToBytes(tensors);
        WriteAtomically(path, bytes);
    }

    /// <summary>The bytes <see cref="save(IReadOnlyDictionary{string, Tensor}, string)"/> would write.</summary>
    public static byte[] SaveToBytes(IReadOnlyDictionary<string, Tensor> tensors)
    {
        var names = new IntPtr[tensors.Count];
        var values = new List<Tensor>(tensors.Count);
        try
        {
            var i = 0;
            foreach (var (name, tensor) in tensors)
            {
                names[i++] = Marshal.StringToCoTaskMemUTF8(name);
                values.Add(tensor);
            }
            using var list = new HandleList(values);
            var status = NativeMethods.xr_dict_save(names, list.Pointers, list.Count, out var bytes);
            using (bytes)
            {
                NativeError.ThrowIfFailed(status);
                return bytes.ToArray();
            }
        }
        finally
        {
            foreach (var p in names) Marshal.FreeCoTaskMem(p);
        }
    }

    /// <summary>
    /// Reads {name: tensor} saved by <see cref="save(IReadOnlyDictionary{string, Tensor}, string)"/> or by Python's
    /// <c>torch.save(dict(model.state_dict()), path)</c>. The caller owns the tensors.
    /// </summary>
    public static Dictionary<string, Tensor> load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            throw new FileNotFoundException($"No tensor file at '{path}'.", path);
        }
        try
        {
            return LoadFromBytes(bytes);
        }
        catch (Exception e) when (e is TorchException or ArgumentException or IndexOutOfRangeException)
        {
            throw new InvalidDataException(
                $"'{path}' is not a readable tensor file ({e.Message.Split('\n')[0]}). It may be truncated or not " +
                "a torch.save file; from Python, save with torch.save(dict(model.state_dict()), path).", e);
        }
    }

    public static unsafe Dictionary<string, Tensor> LoadFromBytes(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) throw new ArgumentException("The tensor data is empty.");
        DictHandle dict;
        int status;
        fixed (byte* p = data) status = NativeMethods.xr_dict_load(p, data.Length, out dict);
        using (dict)
        {
            NativeError.ThrowIfFailed(status);
            int n;
            NativeError.ThrowIfFailed(NativeMethods.xr_dict_size(dict, &n));
            var result = new Dictionary<string, Tensor>(n);
            for (var i = 0; i < n; i++)
            {
                byte* key;
                NativeError.ThrowIfFailed(NativeMethods.xr_dict_key(dict, i, &key));
                var value = Tensor.From(NativeMethods.xr_dict_value(dict, i, out var r), r);
                result[Marshal.PtrToStringUTF8((IntPtr)key)!] = value;
            }
            return result;
        }
    }

    /// <summary>Temp file in the same folder, flush + fsync, then rename: a killed process never leaves a half file.</summary>
    internal static void WriteAtomically(string path, ReadOnlySpan<byte> bytes)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { }
            throw;
        }
    }
}
