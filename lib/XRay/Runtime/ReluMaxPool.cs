using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

namespace XRay.Runtime;

/// <summary>
/// A ReLU followed by k x k max pooling with stride k, as one pass forward and one pass backward, for channels-last
/// CPU tensors of float32 or bfloat16 (XRay.Models.FusingSequential uses it while training). libtorch runs the pair as
/// four passes over the full-size activation (the ReLU, the pooling with its int64 indices, a zero fill and a scatter for
/// the pooling's gradient, and the ReLU's gradient), and keeps the ReLU's output and the int64 indices for the backward:
/// at seed 002's first block (32 x 32 x 148 x 148, bf16) 45 MB each. This reads the activation once, keeps one byte per
/// pooled value (where in its window the maximum was, or none when the maximum is not positive), and writes the whole
/// gradient in one pass (bench/README.md, "ReLU and max pooling in one pass").
/// <para>
/// The result is libtorch's, bit for bit: relu(max(x)) = max(relu(x)), the window's first largest value wins as in
/// libtorch's kernel, and the gradient goes to that value when it is positive and nowhere when it is not (the ReLU's
/// gradient there is 0). A NaN in a window makes that output NaN and takes the gradient (the last NaN, where there
/// are several), as in libtorch. Values are compared as integers: a non-negative IEEE number orders as its bits do,
/// and the ReLU maps everything else to 0.
/// </para>
/// <c>XRAY_FUSED_POOL=0</c> turns it off: the layers then run one by one in libtorch.
/// </summary>
public static unsafe class ReluMaxPool
{
    /// <summary>The largest window side handled: the index of a value in its window is kept in one signed byte.</summary>
    public const int MaxKernel = 11;

    /// <summary>The index kept for a window whose maximum is not positive: no gradient flows to it.</summary>
    public const sbyte NoGradient = -1;

    /// <summary>Whether training runs ReLU + max pooling through here; false when <c>XRAY_FUSED_POOL=0</c> (read once).</summary>
    public static bool Enabled { get; } = !DropoutNoise.OptsOut(Environment.GetEnvironmentVariable("XRAY_FUSED_POOL"));

    /// <summary>What `xray info` says about it.</summary>
    public static string Describe() =>
        Enabled ? "one op while training on the CPU (XRAY_FUSED_POOL=0: libtorch's, layer by layer)"
                : "libtorch's, layer by layer (XRAY_FUSED_POOL=0)";

    /// <summary>
    /// Whether <see cref="Forward"/> handles <paramref name="input"/> with a <paramref name="kernel"/> x kernel window:
    /// a channels-last (N, C, H, W) CPU tensor of float32 or bfloat16 at least one window high and wide.
    /// </summary>
    public static bool Handles(Tensor input, long kernel) =>
        kernel is >= 1 and <= MaxKernel
        && input.device_type == DeviceType.CPU
        && input.dtype is ScalarType.Float32 or ScalarType.BFloat16
        && input.ndim == 4
        && input.shape[0] > 0 && input.shape[1] > 0 && input.shape[2] >= kernel && input.shape[3] >= kernel
        && input.numel() * input.ElementSize <= int.MaxValue // what TorchSharp's byte span covers
        && input.IsChannelsLast();

    /// <summary>
    /// max_pool2d(relu(input), kernel) (stride = kernel, no padding, the last rows and columns that fill no window
    /// dropped) as a channels-last tensor, and the index of each output value in its window, (N, H', W', C) bytes, for
    /// <see cref="Backward"/>. <paramref name="input"/> is not changed.
    /// </summary>
    public static (Tensor Output, Tensor Index) Forward(Tensor input, int kernel)
    {
        if (!Handles(input, kernel))
            throw new ArgumentException($"ReLU + max pooling runs here on channels-last (N, C, H, W) CPU tensors of float32 or bfloat16 with 1 <= kernel <= {MaxKernel}; got {input.dtype} on {input.device}, shape [{string.Join(", ", input.shape)}], strides [{string.Join(", ", input.stride())}], kernel {kernel}.", nameof(input));
        var geometry = new Geometry(input.shape, kernel);
        var output = empty_strided(geometry.OutputShape, ChannelsLast.Strides(geometry.OutputShape), input.dtype);
        var index = empty(new[] { geometry.N, geometry.OutH, geometry.OutW, geometry.C }, ScalarType.Int8);
        var (x, y, i) = (Address(input), Address(output), Address(index));
        if (input.dtype == ScalarType.BFloat16) ForEachRow(geometry.N * geometry.OutH, row => ForwardRow<short>(geometry, row, x, y, i));
        else ForEachRow(geometry.N * geometry.OutH, row => ForwardRow<int>(geometry, row, x, y, i));
        return (output, index);
    }

    /// <summary>
    /// The gradient with respect to <see cref="Forward"/>'s input: <paramref name="gradOutput"/>'s value at each window's
    /// maximum when it was positive, 0 everywhere else. Channels-last, of <paramref name="inputShape"/>.
    /// </summary>
    public static Tensor Backward(Tensor gradOutput, Tensor index, long[] inputShape, int kernel)
    {
        var geometry = new Geometry(inputShape, kernel);
        if (!gradOutput.shape.SequenceEqual(geometry.OutputShape) || gradOutput.device_type != DeviceType.CPU
            || gradOutput.dtype is not (ScalarType.Float32 or ScalarType.BFloat16))
            throw new ArgumentException($"The gradient must be a float32 or bfloat16 CPU tensor of shape [{string.Join(", ", geometry.OutputShape)}]; got {gradOutput.dtype} on {gradOutput.device}, shape [{string.Join(", ", gradOutput.shape)}].", nameof(gradOutput));
        if (index.dtype != ScalarType.Int8 || !index.is_contiguous() || index.numel() != gradOutput.numel())
            throw new ArgumentException("The index must be Forward's: contiguous bytes, one per output value.", nameof(index));
        using var grad = gradOutput.IsChannelsLast() ? gradOutput.alias() : gradOutput.ToChannelsLast();
        var gradInput = empty_strided(inputShape, ChannelsLast.Strides(inputShape), gradOutput.dtype);
        var (g, i, gx) = (Address(grad), Address(index), Address(gradInput));
        if (gradOutput.dtype == ScalarType.BFloat16) ForEachRow(geometry.N * geometry.H, row => BackwardRow<short>(geometry, row, g, i, gx));
        else ForEachRow(geometry.N * geometry.H, row => BackwardRow<int>(geometry, row, g, i, gx));
        return gradInput;
    }

    /// <summary>
    /// <see cref="Backward"/> as libtorch ops that autograd can differentiate again (in <paramref name="gradOutput"/>;
    /// the index is a constant, as libtorch's indices and ReLU mask are), for a backward that builds a graph
    /// (<c>create_graph</c>: second derivatives). Slower, and only for that.
    /// </summary>
    public static Tensor DifferentiableBackward(Tensor gradOutput, Tensor index, long[] inputShape, int kernel)
    {
        var geometry = new Geometry(inputShape, kernel);
        using var scope = NewDisposeScope();
        using var at = index.permute(0, 3, 1, 2); // (N, C, H', W'), each value's position in its window
        // A select, not a product: an infinite or NaN gradient must not reach the window's other values (0 * inf is NaN).
        var zero = zeros_like(gradOutput);
        var parts = Enumerable.Range(0, kernel * kernel).Select(p => where(at.eq(p), gradOutput, zero)).ToArray();
        var (n, c, oh, ow) = (geometry.N, geometry.C, geometry.OutH, geometry.OutW);
        // Position p = ph * k + pw of window (i, j) is input row i * k + ph, column j * k + pw.
        var windows = stack(parts, -1).reshape(n, c, oh, ow, kernel, kernel).permute(0, 1, 2, 4, 3, 5).reshape(n, c, oh * kernel, ow * kernel);
        var full = nn.functional.pad(windows, new[] { 0, geometry.W - ow * kernel, 0, geometry.H - oh * kernel });
        return full.MoveToOuterDisposeScope(); // (N, C, H, W) in memory: ToChannelsLast's copy would cut the graph
    }

    /// <summary>Sizes of one call: the input's (N, C, H, W), the window, and the output's height and width.</summary>
    private readonly record struct Geometry(long N, long C, long H, long W, int K)
    {
        public Geometry(long[] shape, int kernel) : this(shape[0], shape[1], shape[2], shape[3], kernel) { }
        public long OutH => H / K;
        public long OutW => W / K;
        public long[] OutputShape => new[] { N, C, OutH, OutW };
    }

    // libtorch's storage does not move, and every tensor here outlives the call. TorchSharp hands out the bytes of
    // contiguous tensors only, so a channels-last one is viewed as (N, H, W, C) first.
    private static nint Address(Tensor t)
    {
        using var view = t.ndim == 4 && !t.is_contiguous() ? t.permute(0, 2, 3, 1) : t.alias();
        return (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(view.bytes));
    }

    private static void ForEachRow(long rows, Action<long> row) =>
        TorchThreads.For(rows, (start, end) =>
        {
            for (var r = start; r < end; r++) row(r);
        });

    /// <summary>
    /// One output row (n, oh): every window's largest value as an integer compare of the element's bits (T is short for
    /// bfloat16, int for float32), starting from 0, so a window with nothing positive gives 0 and index NoGradient.
    /// The first of equal largest values wins, as in libtorch's kernel.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardRow<T>(Geometry g, long row, nint input, nint output, nint index)
        where T : unmanaged, System.Numerics.IBinaryInteger<T>, System.Numerics.ISignedNumber<T>
    {
        var (n, oh) = (row / g.OutH, row % g.OutH);
        var (c, k) = (g.C, g.K);
        var x = (T*)input;
        var y = (T*)output + row * g.OutW * c;
        var idx = (sbyte*)index + row * g.OutW * c;
        var lanes = Vector256<T>.Count;
        for (long ow = 0; ow < g.OutW; ow++)
        {
            var window = x + ((n * g.H + oh * k) * g.W + ow * k) * c; // the window's top-left value, channel 0
            var outAt = ow * c;
            long ch = 0;
            for (; ch + lanes <= c; ch += lanes)
            {
                var best = Vector256<T>.Zero;
                var at = Vector256<T>.AllBitsSet; // NoGradient
                var p = 0;
                for (var ph = 0; ph < k; ph++)
                    for (var pw = 0; pw < k; pw++, p++)
                    {
                        // Every NaN is compared as the largest positive pattern (itself a NaN in both formats), and a
                        // later NaN replaces an earlier one, as in libtorch: the output is NaN, the last NaN takes the gradient.
                        var raw = Vector256.Load(window + (ph * g.W + pw) * c + ch);
                        var nan = Vector256.GreaterThan(raw & Vector256.Create(MagnitudeMask<T>()), Vector256.Create(InfinityBits<T>()));
                        var v = Vector256.ConditionalSelect(nan, Vector256.Create(MagnitudeMask<T>()), raw);
                        var larger = Vector256.GreaterThan(v, best) | nan;
                        best = Vector256.ConditionalSelect(larger, v, best);
                        at = Vector256.ConditionalSelect(larger, Vector256.Create(T.CreateTruncating(p)), at);
                    }
                best.Store(y + outAt + ch);
                StoreIndex(at, idx + outAt + ch);
            }
            for (; ch < c; ch++)
            {
                var best = T.Zero;
                sbyte at = NoGradient;
                var p = 0;
                for (var ph = 0; ph < k; ph++)
                    for (var pw = 0; pw < k; pw++, p++)
                    {
                        var v = window[(ph * g.W + pw) * c + ch];
                        var nan = (v & MagnitudeMask<T>()) > InfinityBits<T>();
                        if (nan) v = MagnitudeMask<T>();
                        if (v > best || nan) (best, at) = (v, (sbyte)p);
                    }
                y[outAt + ch] = best;
                idx[outAt + ch] = at;
            }
        }
    }

    /// <summary>
    /// One input row (n, h) of the gradient: inside a window, each value gets the output's gradient where the index
    /// names it and 0 elsewhere (a select, so every value is written once); rows and columns outside every window get 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardRow<T>(Geometry g, long row, nint gradOutput, nint index, nint gradInput)
        where T : unmanaged, System.Numerics.IBinaryInteger<T>, System.Numerics.ISignedNumber<T>
    {
        var (n, h) = (row / g.H, row % g.H);
        var (c, k) = (g.C, g.K);
        var gx = (T*)gradInput + row * g.W * c;
        var (oh, ph) = (h / k, (int)(h % k));
        if (oh >= g.OutH)
        {
            new Span<T>(gx, checked((int)(g.W * c))).Clear();
            return;
        }
        var lanes = Vector256<T>.Count;
        var outRow = (n * g.OutH + oh) * g.OutW * c;
        var gy = (T*)gradOutput + outRow;
        var idx = (sbyte*)index + outRow;
        for (long ow = 0; ow < g.OutW; ow++)
        {
            var outAt = ow * c;
            for (var pw = 0; pw < k; pw++)
            {
                var dst = gx + (ow * k + pw) * c;
                var position = ph * k + pw;
                var wanted = Vector256.Create(T.CreateTruncating(position));
                long ch = 0;
                for (; ch + lanes <= c; ch += lanes)
                {
                    var here = Vector256.Equals(LoadIndex<T>(idx + outAt + ch), wanted);
                    (Vector256.Load(gy + outAt + ch) & here).Store(dst + ch);
                }
                for (; ch < c; ch++) dst[ch] = idx[outAt + ch] == position ? gy[outAt + ch] : T.Zero;
            }
        }
        var covered = g.OutW * k * c;
        new Span<T>(gx + covered, checked((int)(g.W * c - covered))).Clear();
    }

    // The helpers below are inlined into the kernels, which are optimized from their first call: left to tiered
    // compilation, they ran the first twenty-odd forwards of a process at 10 ms instead of 2.6.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T MagnitudeMask<T>() where T : unmanaged, System.Numerics.IBinaryInteger<T> =>
        typeof(T) == typeof(short) ? T.CreateTruncating(0x7FFF) : T.CreateTruncating(0x7FFFFFFF);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T InfinityBits<T>() where T : unmanaged, System.Numerics.IBinaryInteger<T> =>
        typeof(T) == typeof(short) ? T.CreateTruncating(0x7F80) : T.CreateTruncating(0x7F800000);

    // The lanes' indices (each -1 or 0..k*k-1) as bytes: 16 for bfloat16's vector, 8 for float32's.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreIndex<T>(Vector256<T> at, sbyte* to) where T : unmanaged
    {
        if (typeof(T) == typeof(short))
        {
            var s = at.AsInt16();
            Vector128.Narrow(s.GetLower(), s.GetUpper()).Store(to);
        }
        else
        {
            var i = at.AsInt32();
            var s = Vector128.Narrow(i.GetLower(), i.GetUpper());
            *(long*)to = Vector128.Narrow(s, s).AsInt64().ToScalar();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> LoadIndex<T>(sbyte* from) where T : unmanaged
    {
        if (typeof(T) == typeof(short))
        {
            var b = Vector128.Load(from);
            return Vector256.Create(Vector128.WidenLower(b), Vector128.WidenUpper(b)).As<short, T>();
        }
        var s = Vector128.WidenLower(Vector128.CreateScalar(*(long*)from).AsSByte());
        return Vector256.Create(Vector128.WidenLower(s), Vector128.WidenUpper(s)).As<int, T>();
    }
}
