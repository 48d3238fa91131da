using System.Runtime.InteropServices;
using XRay.Torch.Interop;

namespace XRay.Torch;

/// <summary>
/// The entry point, named as in TorchSharp and PyTorch: <c>torch.zeros</c>, <c>torch.nn.Conv2d</c>,
/// <c>torch.optim.Adam</c>, <c>torch.cuda.is_available()</c>. Bring it in with <c>using static XRay.Torch.torch;</c>.
/// </summary>
public static partial class torch
{
    // ---- runtime ----------------------------------------------------------------------------------

    /// <summary>libtorch's version, e.g. "1.13.0".</summary>
    public static unsafe string __version__
    {
        get
        {
            byte* t;
            NativeError.ThrowIfFailed(NativeMethods.xr_runtime_versions(&t));
            return Marshal.PtrToStringUTF8((IntPtr)t)!;
        }
    }

    /// <summary>libtorch's build and threading summary (ATen, OpenMP, BLAS back end).</summary>
    public static unsafe string parallel_info()
    {
        byte* info;
        NativeError.ThrowIfFailed(NativeMethods.xr_runtime_parallel_info(&info));
        return Marshal.PtrToStringUTF8((IntPtr)info) ?? string.Empty;
    }

    /// <summary>Intra-op threads; defaults to every core unless OMP_NUM_THREADS is set.</summary>
    public static void set_num_threads(int threads) =>
        NativeError.ThrowIfFailed(NativeMethods.xr_runtime_set_num_threads(threads));

    public static unsafe int get_num_threads()
    {
        int n;
        NativeError.ThrowIfFailed(NativeMethods.xr_runtime_get_num_threads(&n));
        return n;
    }

    /// <summary>Seeds every generator libtorch uses (CPU and CUDA).</summary>
    public static void manual_seed(long seed) => NativeError.ThrowIfFailed(NativeMethods.xr_runtime_manual_seed(seed));

    public static DisposeScope NewDisposeScope() => new();

    // ---- creation ---------------------------------------------------------------------------------

    private static Tensor Create(int kind, long[] size, ScalarType? dtype, Device? device, bool requires_grad)
    {
        var d = device ?? Device.CPU;
        return Tensor.From(NativeMethods.xr_tensor_new(kind, size, size.Length, (int)(dtype ?? ScalarType.Float32),
            (int)d.type, d.index, requires_grad ? 1 : 0, out var r), r);
    }

    public static Tensor empty(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Create(0, size, dtype, device, requires_grad);

    public static Tensor empty(params long[] size) => Create(0, size, null, null, false);

    public static Tensor zeros(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Create(1, size, dtype, device, requires_grad);

    public static Tensor zeros(params long[] size) => Create(1, size, null, null, false);

    public static Tensor ones(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Create(2, size, dtype, device, requires_grad);

    public static Tensor ones(params long[] size) => Create(2, size, null, null, false);

    /// <summary>Uniform on [0, 1).</summary>
    public static Tensor rand(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Create(3, size, dtype, device, requires_grad);

    public static Tensor rand(params long[] size) => Create(3, size, null, null, false);

    /// <summary>Standard normal.</summary>
    public static Tensor randn(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Create(4, size, dtype, device, requires_grad);

    public static Tensor randn(params long[] size) => Create(4, size, null, null, false);

    public static Tensor full(long[] size, Scalar value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        var d = device ?? Device.CPU;
        var type = dtype ?? (value.IsFloatingPoint ? ScalarType.Float32 : ScalarType.Int64);
        return Tensor.From(NativeMethods.xr_tensor_full(size, size.Length, value.Native, (int)type, (int)d.type, d.index,
            requires_grad ? 1 : 0, out var r), r);
    }

    /// <summary>start, start+step, ... up to (not including) end. Integers give int64, as in PyTorch.</summary>
    public static Tensor arange(Scalar start, Scalar end, Scalar? step = null, ScalarType? dtype = null, Device? device = null,
        bool requires_grad = false)
    {
        var s = step ?? 1;
        var d = device ?? Device.CPU;
        var type = dtype ?? (start.IsFloatingPoint || end.IsFloatingPoint || s.IsFloatingPoint ? ScalarType.Float32 : ScalarType.Int64);
        return Tensor.From(NativeMethods.xr_tensor_arange(start.Native, end.Native, s.Native, (int)type, (int)d.type, d.index,
            requires_grad ? 1 : 0, out var r), r);
    }

    public static Tensor arange(Scalar end, ScalarType? dtype = null, Device? device = null) => arange(0, end, 1, dtype, device);

    /// <summary>Integers uniform on [low, high).</summary>
    public static Tensor randint(long low, long high, long[] size, ScalarType? dtype = null, Device? device = null)
    {
        var d = device ?? Device.CPU;
        return Tensor.From(NativeMethods.xr_tensor_randint(low, high, size, size.Length, (int)(dtype ?? ScalarType.Int64),
            (int)d.type, d.index, out var r), r);
    }

    public static Tensor randint(long high, long[] size, ScalarType? dtype = null, Device? device = null) =>
        randint(0, high, size, dtype, device);

    /// <summary>A random permutation of 0 .. n-1 (int64).</summary>
    public static Tensor randperm(long n, Device? device = null)
    {
        var d = device ?? Device.CPU;
        return Tensor.From(NativeMethods.xr_tensor_randperm(n, (int)d.type, d.index, out var r), r);
    }

    /// <summary>A tensor holding a copy of <paramref name="data"/> (one copy, straight into libtorch's storage).</summary>
    public static unsafe Tensor tensor<T>(ReadOnlySpan<T> data, long[] shape, ScalarType? dtype = null, Device? device = null,
        bool requires_grad = false) where T : unmanaged
    {
        long expected = 1;
        foreach (var s in shape)
        {
            if (s < 0) throw new ArgumentException($"Shape [{string.Join(", ", shape)}] has a negative dimension.", nameof(shape));
            expected *= s;
        }
        if (expected != data.Length)
            throw new ArgumentException(
                $"Shape [{string.Join(", ", shape)}] needs {expected} elements but the data has {data.Length}.", nameof(shape));
        var d = device ?? Device.CPU;
        Tensor result;
        fixed (T* p = data)
            result = Tensor.From(NativeMethods.xr_tensor_from_data(p, (long)data.Length * sizeof(T), shape, shape.Length,
                (int)ScalarTypeOf<T>(), (int)d.type, d.index, 0, out var r), r);
        if (dtype is { } type && type != ScalarTypeOf<T>())
        {
            var converted = result.to(type);
            result.Dispose();
            result = converted;
        }
        if (requires_grad) result.requires_grad_();
        return result;
    }

    public static Tensor tensor(float[] data, long[] shape, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        tensor<float>(data, shape, dtype, device, requires_grad);

    public static Tensor tensor(double[] data, long[] shape, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        tensor<double>(data, shape, dtype, device, requires_grad);

    public static Tensor tensor(long[] data, long[] shape, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        tensor<long>(data, shape, dtype, device, requires_grad);

    public static Tensor tensor(int[] data, long[] shape, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        tensor<int>(data, shape, dtype, device, requires_grad);

    public static Tensor tensor(byte[] data, long[] shape, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        tensor<byte>(data, shape, dtype, device, requires_grad);

    public static Tensor tensor(bool[] data, long[] shape, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        tensor<bool>(data, shape, dtype, device, requires_grad);

    /// <summary>A 1-D tensor of the values.</summary>
    public static Tensor tensor(float[] data, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        tensor<float>(data, new long[] { data.Length }, dtype, device, requires_grad);

    public static Tensor tensor(double[] data, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        tensor<double>(data, new long[] { data.Length }, dtype, device, requires_grad);

    public static Tensor tensor(long[] data, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        tensor<long>(data, new long[] { data.Length }, dtype, device, requires_grad);

    public static Tensor tensor(int[] data, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        tensor<int>(data, new long[] { data.Length }, dtype, device, requires_grad);

    public static Tensor tensor(byte[] data, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        tensor<byte>(data, new long[] { data.Length }, dtype, device, requires_grad);

    /// <summary>A 0-dimensional tensor.</summary>
    public static Tensor tensor(float value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        tensor<float>(new[] { value }, Array.Empty<long>(), dtype, device, requires_grad);

    public static Tensor tensor(double value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        tensor<double>(new[] { value }, Array.Empty<long>(), dtype, device, requires_grad);

    public static Tensor tensor(long value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        tensor<long>(new[] { value }, Array.Empty<long>(), dtype, device, requires_grad);
}
