using System.Text;
using static TorchSharp.torch;

namespace XRay.IO;

/// <summary>
/// The parts of an ONNX file (a ModelProto, protobuf) that mapping weights needs: the graph's nodes in order (op type,
/// inputs, outputs, integer attributes) and its float initializers as tensors. A small protobuf wire reader: no
/// ONNX or protobuf package needed to read weights.
/// </summary>
public sealed class OnnxGraph : IDisposable
{
    /// <summary>One graph node: NodeProto's op_type, input, output and its integer(-list) attributes.</summary>
    public sealed record Node(string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, IReadOnlyDictionary<string, long[]> Ints);

    private OnnxGraph(List<Node> nodes, Dictionary<string, Tensor> initializers)
    {
        Nodes = nodes;
        Initializers = initializers;
    }

    public IReadOnlyList<Node> Nodes { get; }

    /// <summary>float32 initializers by name (the caller must not dispose them; disposing the graph does).</summary>
    public IReadOnlyDictionary<string, Tensor> Initializers { get; }

    public static OnnxGraph Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No ONNX file at '{path}'.", path);
        var bytes = File.ReadAllBytes(path);
        var nodes = new List<Node>();
        var initializers = new Dictionary<string, Tensor>();
        try
        {
            var graph = Fields(bytes).FirstOrDefault(f => f.Number == 7).Bytes;   // ModelProto.graph
            if (graph.IsEmpty) throw new InvalidDataException("it has no graph");
            foreach (var field in Fields(graph))
            {
                if (field.Number == 1) nodes.Add(ReadNode(field.Bytes));           // GraphProto.node
                else if (field.Number == 5)                                       // GraphProto.initializer
                {
                    var (name, tensor) = ReadTensor(field.Bytes);
                    if (tensor is not null) initializers[name] = tensor;
                }
            }
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentOutOfRangeException or InvalidDataException or OverflowException)
        {
            foreach (var t in initializers.Values) t.Dispose();
            throw new InvalidDataException($"'{path}' is not a readable ONNX model ({e.Message}).", e);
        }
        return new OnnxGraph(nodes, initializers);
    }

    private static Node ReadNode(ReadOnlyMemory<byte> node)
    {
        var (inputs, outputs, ints) = (new List<string>(), new List<string>(), new Dictionary<string, long[]>());
        var op = "";
        foreach (var f in Fields(node))
        {
            switch (f.Number)
            {
                case 1: inputs.Add(Text(f.Bytes)); break;
                case 2: outputs.Add(Text(f.Bytes)); break;
                case 4: op = Text(f.Bytes); break;
                case 5:
                    var name = "";
                    var values = new List<long>();
                    foreach (var a in Fields(f.Bytes))
                    {
                        if (a.Number == 1) name = Text(a.Bytes);
                        else if (a.Number == 3) values.Add((long)a.Varint);                      // AttributeProto.i
                        else if (a.Number == 8 && a.WireType == 0) values.Add((long)a.Varint);    // ints, unpacked
                        else if (a.Number == 8) values.AddRange(PackedVarints(a.Bytes));          // ints, packed
                    }
                    ints[name] = values.ToArray();
                    break;
            }
        }
        return new Node(op, inputs, outputs, ints);
    }

    private static (string Name, Tensor? Tensor) ReadTensor(ReadOnlyMemory<byte> proto)
    {
        var dims = new List<long>();
        var (name, type, raw) = ("", 0L, ReadOnlyMemory<byte>.Empty);
        var floats = new List<float>();
        foreach (var f in Fields(proto))
        {
            switch (f.Number)
            {
                case 1: if (f.WireType == 0) dims.Add((long)f.Varint); else dims.AddRange(PackedVarints(f.Bytes)); break;
                case 2: type = (long)f.Varint; break;
                case 4:
                    if (f.WireType == 5) floats.Add(BitConverter.ToSingle(f.Fixed32));
                    else for (var i = 0; i + 4 <= f.Bytes.Length; i += 4) floats.Add(BitConverter.ToSingle(f.Bytes.Span[i..]));
                    break;
                case 8: name = Text(f.Bytes); break;
                case 9: raw = f.Bytes; break;
            }
        }
        if (type != 1) return (name, null); // FLOAT only: ResNet's weights are all float32
        var values = raw.IsEmpty ? floats.ToArray() : System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(raw.Span).ToArray();
        if (values.LongLength != dims.Aggregate(1L, (a, b) => a * b))
            throw new InvalidDataException($"initializer {name} holds {values.Length} values for shape [{string.Join(", ", dims)}]");
        return (name, tensor(values, dims.ToArray()));
    }

    private readonly record struct Field(int Number, int WireType, ulong Varint, ReadOnlyMemory<byte> Bytes, byte[] Fixed32);

    private static IEnumerable<Field> Fields(ReadOnlyMemory<byte> data)
    {
        var at = 0;
        while (at < data.Length)
        {
            var key = Varint(data.Span, ref at);
            var (number, wire) = ((int)(key >> 3), (int)(key & 7));
            switch (wire)
            {
                case 0: yield return new Field(number, wire, Varint(data.Span, ref at), default, Array.Empty<byte>()); break;
                case 1: at += 8; break;
                case 2:
                    var length = checked((int)Varint(data.Span, ref at));
                    yield return new Field(number, wire, 0, data.Slice(at, length), Array.Empty<byte>());
                    at += length;
                    break;
                case 5: yield return new Field(number, wire, 0, default, data.Slice(at, 4).ToArray()); at += 4; break;
                default: throw new InvalidDataException($"protobuf wire type {wire} at byte {at}");
            }
        }
    }

    private static ulong Varint(ReadOnlySpan<byte> data, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[at++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80) return value;
        }
    }

    private static IEnumerable<long> PackedVarints(ReadOnlyMemory<byte> data)
    {
        var list = new List<long>();
        for (var at = 0; at < data.Length;) list.Add((long)Varint(data.Span, ref at));
        return list;
    }

    private static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);

    public void Dispose()
    {
        foreach (var t in Initializers.Values) t.Dispose();
    }
}
