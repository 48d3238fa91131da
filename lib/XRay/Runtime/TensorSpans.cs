using TorchSharp;
using static TorchSharp.torch;

namespace XRay.Runtime;

/// <summary>
/// Tensors from and to spans with one copy. TorchSharp builds tensors from arrays only; the data loader's batches and
/// caches are slices of larger buffers, so copying them to an array first would cost a second copy per batch.
/// </summary>
public static class TensorSpans
{
    /// <summary>A new CPU tensor of <paramref name="shape"/> holding a copy of <paramref name="data"/>.</summary>
    public static Tensor ToTensor<T>(this ReadOnlySpan<T> data, params long[] shape) where T : unmanaged
    {
        var count = shape.Aggregate(1L, (a, b) => a * b);
        if (count != data.Length)
            throw new ArgumentException($"A tensor of shape [{string.Join(", ", shape)}] holds {count} values, got {data.Length}.");
        var result = empty(shape, ScalarTypeOf<T>());
        using var accessor = result.data<T>();
        accessor.CopyFrom(data);
        return result;
    }

    public static Tensor ToTensor<T>(this Span<T> data, params long[] shape) where T : unmanaged => ToTensor((ReadOnlySpan<T>)data, shape);

    /// <summary>The values of a tensor (any device, any layout) in row-major order.</summary>
    public static T[] ToArray<T>(this Tensor t) where T : unmanaged
    {
        using var cpu = t.device_type == DeviceType.CPU && t.is_contiguous() ? t.alias() : t.cpu().contiguous();
        using var accessor = cpu.data<T>();
        return accessor.ToArray();
    }

    /// <summary>The rows of a 2-D tensor (N, D) as N arrays of D values.</summary>
    public static T[][] ToRows<T>(this Tensor t) where T : unmanaged
    {
        if (t.ndim != 2) throw new ArgumentException($"Rows need a 2-D tensor, got shape [{string.Join(", ", t.shape)}].");
        var (n, d) = (checked((int)t.shape[0]), checked((int)t.shape[1]));
        var values = t.ToArray<T>();
        return Enumerable.Range(0, n).Select(i => values.AsSpan(i * d, d).ToArray()).ToArray();
    }

    private static ScalarType ScalarTypeOf<T>() where T : unmanaged =>
        default(T) switch
        {
            byte => ScalarType.Byte,
            sbyte => ScalarType.Int8,
            short => ScalarType.Int16,
            int => ScalarType.Int32,
            long => ScalarType.Int64,
            float => ScalarType.Float32,
            double => ScalarType.Float64,
            bool => ScalarType.Bool,
            _ => throw new NotSupportedException($"No tensor type for {typeof(T).Name}."),
        };
}
