using System.Buffers.Binary;
using System.Text;
using static TorchSharp.torch;

namespace XRay.IO;

/// <summary>
/// Reads torch.save's legacy (pre-1.6, non-zip) format, which torchvision's V1 ImageNet files (2017-2018) use and
/// TorchSharp.PyBridge does not read (NotImplementedException). The file is five pickles (protocol 2) in a row: a magic
/// number, the format version (1001), system info, the object (tensors refer to storages through persistent ids
/// ('storage', type, key, location, numel, view)), and the list of storage keys; then, for each key in that order, the
/// storage's element count (int64) and its raw little-endian bytes.
/// </summary>
public static class LegacyTorchFile
{
    private static readonly System.Numerics.BigInteger MagicNumber = System.Numerics.BigInteger.Parse("119547037146038801333356"); // 0x1950a86a20f9469cfc6c
    private const long ProtocolVersion = 1001;

    /// <summary>Whether the stream starts like a legacy file (a protocol-2 pickle) rather than a zip ("PK").</summary>
    public static bool Detect(Stream stream)
    {
        var start = stream.Position;
        Span<byte> head = stackalloc byte[2];
        var n = stream.Read(head);
        stream.Position = start;
        return n == 2 && head[0] == 0x80 && head[1] == 0x02;
    }

    /// <summary>{name: tensor} from a legacy state dict (OrderedDict or dict); the caller owns the tensors.</summary>
    public static Dictionary<string, Tensor> Load(Stream stream, string name)
    {
        var magic = new Unpickler(stream).Load();
        if (magic is not System.Numerics.BigInteger big || big != MagicNumber)
            throw new InvalidDataException($"'{name}' is a pickle but not a torch.save file (no torch magic number).");
        if (new Unpickler(stream).Load() is not long version || version != ProtocolVersion)
            throw new InvalidDataException($"'{name}' is a torch.save file of an unknown legacy version.");
        var sysInfo = new Unpickler(stream).Load() as Dictionary<object, object?>;
        if (sysInfo?.GetValueOrDefault("little_endian") is false)
            throw new InvalidDataException($"'{name}' was saved on a big-endian machine; load and save it again with torch on a little-endian one.");

        var storages = new Dictionary<string, StorageRef>();
        var root = new Unpickler(stream, storages).Load();
        if (new Unpickler(stream).Load() is not List<object?> keys)
            throw new InvalidDataException($"'{name}' has no storage list after its object: it is truncated or not a torch.save file.");

        var data = new Dictionary<string, byte[]>();
        Span<byte> count = stackalloc byte[8];
        foreach (var key in keys.Cast<string>())
        {
            var storage = storages[key];
            stream.ReadExactly(count);
            var numel = BinaryPrimitives.ReadInt64LittleEndian(count);
            var bytes = new byte[checked(numel * ElementSize(storage.Dtype))];
            try { stream.ReadExactly(bytes); }
            catch (EndOfStreamException e) { throw new InvalidDataException($"'{name}' is truncated: storage {key} ends early.", e); }
            data[key] = bytes;
        }

        if (root is not Dictionary<object, object?> dict)
            throw new InvalidDataException($"'{name}' holds a {root?.GetType().Name ?? "null"}, not a state dict (name -> tensor).");
        var result = new Dictionary<string, Tensor>(dict.Count);
        try
        {
            foreach (var (k, v) in dict)
            {
                if (k is not string key || v is not PendingTensor t)
                    throw new InvalidDataException($"'{name}' holds an entry that is not name -> tensor ({k}: {v?.GetType().Name ?? "null"}).");
                result[key] = t.Materialize(data[t.Storage.Key]);
            }
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
        return result;
    }

    private static long ElementSize(ScalarType t) => t switch
    {
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
        _ => 1,
    };

    private static ScalarType StorageDtype(string typeName) => typeName switch
    {
        "FloatStorage" => ScalarType.Float32, "DoubleStorage" => ScalarType.Float64, "HalfStorage" => ScalarType.Float16,
        "BFloat16Storage" => ScalarType.BFloat16, "LongStorage" => ScalarType.Int64, "IntStorage" => ScalarType.Int32,
        "ShortStorage" => ScalarType.Int16, "CharStorage" => ScalarType.Int8, "ByteStorage" => ScalarType.Byte,
        "BoolStorage" => ScalarType.Bool,
        _ => throw new InvalidDataException($"Unsupported storage type torch.{typeName}."),
    };

    private sealed record StorageRef(string Key, ScalarType Dtype, long Numel);

    private sealed record Global(string Module, string Name)
    {
        public string Full => $"{Module}.{Name}";
    }

    private sealed record PendingTensor(StorageRef Storage, long Offset, long[] Size, long[] Stride)
    {
        public Tensor Materialize(byte[] bytes)
        {
            using var scope = NewDisposeScope();
            var flat = empty(Storage.Numel, Storage.Dtype);
            flat.bytes = bytes;
            return flat.as_strided(Size, Stride, Offset).contiguous().clone().MoveToOuterDisposeScope();
        }
    }

    /// <summary>The subset of pickle protocol 2 that torch.save emits, building plain .NET objects.</summary>
    private sealed class Unpickler(Stream stream, Dictionary<string, StorageRef>? storages = null)
    {
        private static readonly object Mark = new();
        private readonly List<object?> stack = new();
        private readonly Dictionary<long, object?> memo = new();

        public object? Load()
        {
            while (true)
            {
                var op = stream.ReadByte();
                switch (op)
                {
                    case -1: throw new InvalidDataException("the pickle ends before its STOP opcode");
                    case 0x80: stream.ReadByte(); break;                                  // PROTO
                    case '.': return Pop();                                               // STOP
                    case '(': stack.Add(Mark); break;                                     // MARK
                    case ')': stack.Add(Array.Empty<object?>()); break;                   // EMPTY_TUPLE
                    case '}': stack.Add(new Dictionary<object, object?>()); break;        // EMPTY_DICT
                    case ']': stack.Add(new List<object?>()); break;                      // EMPTY_LIST
                    case 'N': stack.Add(null); break;
                    case 0x88: stack.Add(true); break;
                    case 0x89: stack.Add(false); break;
                    case 'K': stack.Add((long)stream.ReadByte()); break;                  // BININT1
                    case 'M': stack.Add((long)BinaryPrimitives.ReadUInt16LittleEndian(Read(2))); break;
                    case 'J': stack.Add((long)BinaryPrimitives.ReadInt32LittleEndian(Read(4))); break;
                    case 0x8a: stack.Add(Long(Read(stream.ReadByte()))); break;           // LONG1
                    case 'G': stack.Add(BinaryPrimitives.ReadDoubleBigEndian(Read(8))); break;
                    case 'X': stack.Add(Encoding.UTF8.GetString(Read(BinaryPrimitives.ReadInt32LittleEndian(Read(4))))); break;
                    case 'T': stack.Add(Encoding.Latin1.GetString(Read(BinaryPrimitives.ReadInt32LittleEndian(Read(4))))); break;
                    case 'U': stack.Add(Encoding.Latin1.GetString(Read(stream.ReadByte()))); break;
                    case 'c': stack.Add(new Global(Line(), Line())); break;               // GLOBAL
                    case 'q': memo[stream.ReadByte()] = stack[^1]; break;                 // BINPUT
                    case 'r': memo[BinaryPrimitives.ReadInt32LittleEndian(Read(4))] = stack[^1]; break;
                    case 'h': stack.Add(memo[stream.ReadByte()]); break;                  // BINGET
                    case 'j': stack.Add(memo[BinaryPrimitives.ReadInt32LittleEndian(Read(4))]); break;
                    case 0x85: stack.Add(new[] { Pop() }); break;                         // TUPLE1
                    case 0x86: { var b = Pop(); var a = Pop(); stack.Add(new[] { a, b }); break; }
                    case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); stack.Add(new[] { a, b, c }); break; }
                    case 't': stack.Add(PopMark().ToArray()); break;                      // TUPLE
                    case 'a': { var v = Pop(); ((List<object?>)stack[^1]!).Add(v); break; }
                    case 'e': { var items = PopMark(); ((List<object?>)stack[^1]!).AddRange(items); break; }
                    case 's': { var v = Pop(); var k = Pop()!; ((Dictionary<object, object?>)stack[^1]!)[k] = v; break; }
                    case 'u':
                    {
                        var items = PopMark();
                        var dict = (Dictionary<object, object?>)stack[^1]!;
                        for (var i = 0; i < items.Count; i += 2) dict[items[i]!] = items[i + 1];
                        break;
                    }
                    case 'R': { var args = (object?[])Pop()!; var f = (Global)Pop()!; stack.Add(Call(f, args)); break; }
                    case 0x81: { var args = (object?[])Pop()!; var cls = (Global)Pop()!; stack.Add(Call(cls, args)); break; }
                    case 'b': Pop(); break;                                               // BUILD: state (OrderedDict's _metadata) is not needed
                    case 'Q': stack.Add(Persistent((object?[])Pop()!)); break;            // BINPERSID
                    default: throw new InvalidDataException($"unsupported pickle opcode 0x{op:x2} at byte {stream.Position - 1}");
                }
            }
        }

        private object? Call(Global f, object?[] args) => f.Full switch
        {
            "collections.OrderedDict" => new Dictionary<object, object?>(),
            "torch._utils._rebuild_tensor_v2" or "torch._utils._rebuild_tensor" =>
                new PendingTensor((StorageRef)args[0]!, (long)args[1]!, Longs(args[2]), Longs(args[3])),
            "torch._utils._rebuild_parameter" => args[0],
            _ => throw new InvalidDataException($"it holds a {f.Full} object; only tensors and dicts of them are read"),
        };

        private StorageRef Persistent(object?[] pid)
        {
            if (storages is null || pid.Length < 5 || pid[0] as string != "storage")
                throw new InvalidDataException("unexpected persistent id (not a torch storage)");
            var key = (string)pid[2]!;
            if (!storages.TryGetValue(key, out var storage))
                storages[key] = storage = new StorageRef(key, StorageDtype(((Global)pid[1]!).Name), (long)pid[4]!);
            return storage;
        }

        private static long[] Longs(object? tuple) => ((object?[])tuple!).Select(o => (long)o!).ToArray();

        private static object Long(byte[] bytes)
        {
            var value = new System.Numerics.BigInteger(bytes, isUnsigned: false, isBigEndian: false);
            return value >= long.MinValue && value <= long.MaxValue ? (long)value : value;
        }

        private byte[] Read(int n)
        {
            var buffer = new byte[n];
            stream.ReadExactly(buffer);
            return buffer;
        }

        private string Line()
        {
            var bytes = new List<byte>();
            for (int b; (b = stream.ReadByte()) != '\n';)
            {
                if (b < 0) throw new EndOfStreamException();
                bytes.Add((byte)b);
            }
            return Encoding.ASCII.GetString(bytes.ToArray());
        }

        private object? Pop()
        {
            var top = stack[^1];
            stack.RemoveAt(stack.Count - 1);
            return top;
        }

        private List<object?> PopMark()
        {
            var at = stack.LastIndexOf(Mark);
            var items = stack.GetRange(at + 1, stack.Count - at - 1);
            stack.RemoveRange(at, stack.Count - at);
            return items;
        }
    }
}
