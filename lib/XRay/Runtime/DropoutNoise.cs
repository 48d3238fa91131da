using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace XRay.Runtime;

/// <summary>
/// Dropout's noise on the CPU, drawn on every core (XRay.Models.Dropout uses it). libtorch draws it with
/// <c>bernoulli_</c>, which on a CPU that is not Intel's (or in a build without MKL: Debian's PyTorch) takes one
/// Mersenne-Twister double per value on one thread, about 8 ns a value here: 15 ms of each of seed 002's training
/// steps at 150², batch 32 (bench/README.md, "Dropout's noise"). This draws a xoshiro256** stream instead, two values
/// per 64-bit draw, in blocks of <see cref="BlockValues"/> values spread over libtorch's threads
/// (<see cref="TorchThreads"/>). Each block's stream is seeded from one 63-bit number taken from libtorch's default
/// generator, so <c>torch.manual_seed</c> makes the noise repeat, and the noise does not depend on the number of threads. <c>XRAY_DROPOUT_NOISE=0</c> turns it off: dropout then
/// calls libtorch's own.
/// </summary>
public static class DropoutNoise
{
    /// <summary>Values per block of the noise, each block drawn from a stream of its own.</summary>
    public const int BlockValues = 1 << 16;

    /// <summary>Whether dropout draws its CPU noise here; false when <c>XRAY_DROPOUT_NOISE=0</c> (read once, at first use).</summary>
    public static bool Enabled { get; } = !OptsOut(Environment.GetEnvironmentVariable("XRAY_DROPOUT_NOISE"));

    /// <summary>Whether a value of <c>XRAY_DROPOUT_NOISE</c> turns the noise off: "0", as the project's other opt-outs.</summary>
    public static bool OptsOut(string? value) => value == "0";

    /// <summary>What `xray info` says about it.</summary>
    public static string Describe() =>
        Enabled ? "drawn on every core (XRAY_DROPOUT_NOISE=0: libtorch's bernoulli_)" : "libtorch's bernoulli_ (XRAY_DROPOUT_NOISE=0)";

    /// <summary>
    /// A tensor of <paramref name="like"/>'s shape, dtype and strides holding 0 with probability <paramref name="p"/>
    /// and 1 / (1 - p) otherwise: what <c>empty_like(x).bernoulli_(1 - p).div_(1 - p)</c> gives. CPU only, and
    /// <paramref name="like"/> must be dense (contiguous in some order of its dimensions, as NCHW and channels-last are).
    /// </summary>
    public static Tensor Draw(Tensor like, double p)
    {
        if (!Handles(like))
            throw new ArgumentException($"Noise is drawn here for dense CPU tensors of float32/64, bfloat16 or float16; got {like.dtype} on {like.device} with strides [{string.Join(", ", like.stride())}].", nameof(like));
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "The probability must be between 0 and 1.");
        ulong seed;
        using (var draw = randint(long.MaxValue, new long[] { 1 }, ScalarType.Int64)) seed = (ulong)draw.item<long>();
        using var flat = empty(like.numel(), like.dtype);
        // The share kept, as a threshold on 32 random bits: 2^32 keeps all (p = 0), 0 keeps none (p = 1).
        var threshold = (ulong)Math.Round((1 - p) * 4294967296.0);
        // libtorch divides by 1 - p in float (its opmath type) for the 16- and 32-bit types, and rounds.
        var scale = p == 1 ? 0f : 1f / (float)(1 - p);
        // Written as bit patterns: zero is all-zero bits in every one of these types.
        switch (like.dtype)
        {
            case ScalarType.Float32: Fill<uint>(flat, seed, threshold, BitConverter.SingleToUInt32Bits(scale)); break;
            case ScalarType.Float64: Fill<ulong>(flat, seed, threshold, BitConverter.DoubleToUInt64Bits(p == 1 ? 0 : 1 / (1 - p))); break;
            case ScalarType.Float16: Fill<ushort>(flat, seed, threshold, BitConverter.HalfToUInt16Bits((Half)scale)); break;
            default: Fill<ushort>(flat, seed, threshold, BFloat16Bits(scale)); break;
        }
        return like.is_contiguous() ? flat.view(like.shape) : flat.as_strided(like.shape, like.stride());
    }

    /// <summary>Whether <see cref="Draw"/> handles <paramref name="t"/>: a dense CPU tensor of a floating dtype it writes.</summary>
    public static bool Handles(Tensor t) =>
        t.device_type == DeviceType.CPU
        && t.dtype is ScalarType.Float32 or ScalarType.Float64 or ScalarType.BFloat16 or ScalarType.Float16
        && t.numel() > 0
        && t.numel() * t.ElementSize <= int.MaxValue // what TorchSharp's byte span covers
        && IsDense(t.shape, t.stride());

    /// <summary>Whether some order of the dimensions makes these strides contiguous (each the product of the sizes inside it).</summary>
    private static bool IsDense(long[] shape, long[] strides)
    {
        var order = Enumerable.Range(0, shape.Length).Where(d => shape[d] != 1).OrderBy(d => strides[d]).ToArray();
        var expected = 1L;
        foreach (var d in order)
        {
            if (strides[d] != expected) return false;
            expected *= shape[d];
        }
        return true;
    }

    private static void Fill<T>(Tensor flat, ulong seed, ulong threshold, ulong keep) where T : unmanaged
    {
        var count = flat.numel();
        var blocks = (int)((count + BlockValues - 1) / BlockValues);
        // libtorch's memory does not move, and the tensor outlives the fill.
        nint address;
        unsafe { address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(flat.bytes)); }
        TorchThreads.For(blocks, (first, end) =>
        {
            for (var block = first; block < end; block++)
            {
                var start = block * BlockValues;
                var length = (int)Math.Min(BlockValues, count - start);
                unsafe { FillBlock(new Span<T>((T*)address + start, length), seed, (ulong)block, threshold, keep); }
            }
        });
    }

    /// <summary>
    /// One block's values from its own xoshiro256** stream, seeded by SplitMix64 from (seed, block): each 64-bit draw
    /// decides two values, one by its low 32 bits and one by its high 32 bits, kept when below the threshold.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a tight loop: optimized from the first call, not after tiering
    private static void FillBlock<T>(Span<T> values, ulong seed, ulong block, ulong threshold, ulong keep) where T : unmanaged
    {
        var mix = seed ^ (block * 0xD1342543DE82EF95UL);
        ulong s0 = SplitMix(ref mix), s1 = SplitMix(ref mix), s2 = SplitMix(ref mix), s3 = SplitMix(ref mix);
        for (var i = 0; i < values.Length; i += 2)
        {
            var r = BitOperations.RotateLeft(s1 * 5, 7) * 9;
            var t = s1 << 17;
            s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = BitOperations.RotateLeft(s3, 45);
            // Branch-free: (x - threshold) wraps to a value with its top bit set exactly when x < threshold.
            Set(ref values[i], keep & (ulong)((long)((r & 0xFFFFFFFF) - threshold) >> 63));
            if (i + 1 < values.Length) Set(ref values[i + 1], keep & (ulong)((long)((r >> 32) - threshold) >> 63));
        }
    }

    private static void Set<T>(ref T value, ulong bits) where T : unmanaged
    {
        if (typeof(T) == typeof(ushort)) Unsafe.As<T, ushort>(ref value) = (ushort)bits;
        else if (typeof(T) == typeof(uint)) Unsafe.As<T, uint>(ref value) = (uint)bits;
        else Unsafe.As<T, ulong>(ref value) = bits;
    }

    private static ulong SplitMix(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The bfloat16 nearest <paramref name="value"/> (ties to even), as c10::BFloat16 rounds.</summary>
    private static ushort BFloat16Bits(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        return (ushort)((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16);
    }
}
