using System.Collections;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace XRay.IO;

/// <summary>
/// {name: tensor} files in the format of Python's <c>torch.save(dict, path)</c>, through TorchSharp.PyBridge: Python's
/// torch.load reads ours, and we read state dicts Python saved (OrderedDict or dict), in the zip format or, through
/// <see cref="LegacyTorchFile"/>, the legacy one (_use_new_zipfile_serialization=False, torchvision's V1 files).
/// </summary>
public static class TensorFile
{
    /// <summary>Writes the tensors atomically (see <see cref="AtomicFile"/>).</summary>
    public static void Save(IReadOnlyDictionary<string, Tensor> tensors, string path) =>
        AtomicFile.Write(path, stream => PyTorchPickler.PickleStateDict(stream, ToHashtable(tensors), true));

    /// <summary>The bytes <see cref="Save"/> would write.</summary>
    public static byte[] SaveToBytes(IReadOnlyDictionary<string, Tensor> tensors)
    {
        using var stream = new MemoryStream();
        PyTorchPickler.PickleStateDict(stream, ToHashtable(tensors), true);
        return stream.ToArray();
    }

    /// <summary>
    /// Reads {name: tensor} saved by <see cref="Save"/> or by Python's <c>torch.save(model.state_dict(), path)</c>. The
    /// caller owns the tensors. A missing, truncated or foreign file gives one exception naming it.
    /// </summary>
    public static Dictionary<string, Tensor> Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No tensor file at '{path}'.", path);
        using var stream = File.OpenRead(path);
        return Load(stream, path);
    }

    public static Dictionary<string, Tensor> LoadFromBytes(byte[] bytes, string name = "the data")
    {
        using var stream = new MemoryStream(bytes, writable: false);
        return Load(stream, name);
    }

    private static Dictionary<string, Tensor> Load(Stream stream, string name)
    {
        if (stream.Length == 0) throw new InvalidDataException($"'{name}' is empty: it is not a tensor file.");
        if (LegacyTorchFile.Detect(stream))
        {
            try
            {
                return LegacyTorchFile.Load(stream, name);
            }
            catch (Exception e) when (e is EndOfStreamException or InvalidCastException or KeyNotFoundException or InvalidDataException
                                          or ArgumentOutOfRangeException)
            {
                throw new InvalidDataException(
                    $"'{name}' is not a readable legacy torch.save file ({e.Message}). It may be truncated.", e);
            }
        }
        Hashtable table;
        try
        {
            table = PyTorchUnpickler.UnpickleStateDict(stream, true, false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException(
                $"'{name}' is not a readable tensor file ({e.Message.Split('\n')[0]}). It may be truncated, or not a " +
                "torch.save file of a dict of tensors.", e);
        }
        var result = new Dictionary<string, Tensor>(table.Count);
        foreach (DictionaryEntry entry in table)
        {
            if (entry.Key is not string key || entry.Value is not Tensor value)
            {
                foreach (var t in result.Values) t.Dispose();
                throw new InvalidDataException($"'{name}' holds an entry that is not name -> tensor ({entry.Key}: {entry.Value?.GetType().Name ?? "null"}).");
            }
            result[key] = value;
        }
        return result;
    }

    private static Hashtable ToHashtable(IReadOnlyDictionary<string, Tensor> tensors)
    {
        // The pickler writes a tensor's storage as it lies in host memory: a GPU tensor is copied to the CPU first (so
        // the file loads on any machine, as torch.load(map_location="cpu") would need otherwise), and a channels-last
        // (or any strided) view is made contiguous, or it refuses ("Bytes() called on non-contiguous tensor").
        var table = new Hashtable(tensors.Count);
        foreach (var (name, tensor) in tensors)
        {
            var host = tensor.device_type == TorchSharp.DeviceType.CPU ? tensor : tensor.cpu();
            table[name] = host.is_contiguous() ? host : host.contiguous();
        }
        return table;
    }
}
