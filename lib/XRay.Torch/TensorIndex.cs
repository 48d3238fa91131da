namespace XRay.Torch;

/// <summary>One entry of a Python-style index: an integer, a slice, <c>...</c> or <c>None</c> (a new axis).</summary>
public readonly struct TensorIndex
{
    private enum Kind { Integer = 0, Slice = 1, Ellipsis = 2, None = 3 }

    // Mirrors XR_SLICE_NONE: an omitted slice bound.
    private const long Omitted = long.MinValue;

    private readonly Kind kind;
    private readonly long a, b, c;

    private TensorIndex(Kind kind, long a = 0, long b = 0, long c = 0)
    {
        this.kind = kind;
        this.a = a;
        this.b = b;
        this.c = c;
    }

    public static TensorIndex Single(long index) => new(Kind.Integer, index);

    /// <summary>start:stop:step, where null means omitted, as in Python.</summary>
    public static TensorIndex Slice(long? start = null, long? stop = null, long? step = null)
    {
        if (step == 0) throw new ArgumentException("slice step cannot be zero", nameof(step));
        return new(Kind.Slice, start ?? Omitted, stop ?? Omitted, step ?? Omitted);
    }

    public static TensorIndex Ellipsis { get; } = new(Kind.Ellipsis);

    public static TensorIndex None { get; } = new(Kind.None);

    /// <summary>Everything along a dimension (<c>:</c>).</summary>
    public static TensorIndex Colon { get; } = Slice();

    public static implicit operator TensorIndex(long index) => Single(index);

    public static implicit operator TensorIndex(int index) => Single(index);

    /// <summary>C# ranges: <c>1..3</c>, <c>..^1</c> (end-relative bounds become negative indices).</summary>
    public static implicit operator TensorIndex(Range range)
    {
        long? Bound(Index i, bool isEnd)
        {
            if (i.IsFromEnd) return i.Value == 0 ? (isEnd ? null : 0) : -i.Value;
            return i.Value;
        }
        return Slice(Bound(range.Start, false), Bound(range.End, true));
    }

    internal static long[] Encode(TensorIndex[] indices)
    {
        var spec = new long[indices.Length * 4];
        for (var i = 0; i < indices.Length; i++)
        {
            spec[4 * i] = (long)indices[i].kind;
            spec[4 * i + 1] = indices[i].a;
            spec[4 * i + 2] = indices[i].b;
            spec[4 * i + 3] = indices[i].c;
        }
        return spec;
    }
}
