using System.Collections;

namespace XRay.Torch;

/// <summary>Reads and writes a contiguous CPU tensor's elements in place (row-major order).</summary>
public readonly unsafe struct TensorAccessor<T> : IEnumerable<T> where T : unmanaged
{
    private readonly torch.Tensor owner;
    private readonly T* data;

    internal TensorAccessor(torch.Tensor owner, T* data, long count)
    {
        this.owner = owner;
        this.data = data;
        Count = count;
    }

    public long Count { get; }

    public T this[long index]
    {
        get => *Element(index);
        set => *Element(index) = value;
    }

    /// <summary>The elements as a span; valid while the tensor lives.</summary>
    public Span<T> AsSpan() => new(Alive(), checked((int)Count));

    public T[] ToArray() => AsSpan().ToArray();

    public IEnumerator<T> GetEnumerator()
    {
        for (long i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private T* Element(long index)
    {
        if ((ulong)index >= (ulong)Count)
            throw new IndexOutOfRangeException($"Index {index} is out of range for {Count} elements.");
        return Alive() + index;
    }

    private T* Alive()
    {
        _ = owner.Handle; // throws ObjectDisposedException once the tensor is gone
        return data;
    }
}
