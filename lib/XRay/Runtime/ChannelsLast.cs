using TorchSharp;
using static TorchSharp.torch;

namespace XRay.Runtime;

/// <summary>
/// Channels-last (NHWC in memory) for 4-D tensors and modules. TorchSharp 0.107 has no memory_format argument, so the
/// layout is made with empty_strided + copy_, as PyTorch's <c>x.to(memory_format=torch.channels_last)</c> does. oneDNN
/// then runs convolutions and pooling without reordering, which trains seed 002's CNN markedly faster on the CPU
/// (bench/README.md, "Figures the library's comments point to").
/// </summary>
public static class ChannelsLast
{
    /// <summary>
    /// Whether channels-last is the default on <paramref name="device"/>: on the CPU yes (oneDNN, measured above); on a
    /// GPU no, as in PyTorch: on an H200 seed 002's float32 CNN ran as fast or faster in NCHW, for PyTorch-Python too
    /// (bench/README.md, "GPU check"). Channels-last pays on GPUs with half-precision tensor-core kernels, which this
    /// library doesn't use.
    /// TrainingOptions.ChannelsLast overrides it.
    /// </summary>
    public static bool DefaultFor(Device device) => device.type is DeviceType.CPU;

    /// <summary>
    /// <see cref="DefaultFor(Device)"/> for training <paramref name="model"/>: off on the CPU when the model has grouped
    /// (depthwise) convolutions. Training Keras' MobileNet (arch mobilenet) channels-last on the CPU killed the process
    /// with SIGFPE in libtorch 2.10 (exit code 136, 64 px, batch 16); in NCHW it trains.
    /// </summary>
    public static bool DefaultFor(Device device, nn.Module model) =>
        DefaultFor(device) && !model.modules().OfType<TorchSharp.Modules.Conv2d>().Any(c => c.weight is { } w && w.shape[1] != c.in_channels);

    /// <summary>Images on <paramref name="device"/>, channels-last if asked; a tensor already so is used as it is.</summary>
    internal static Tensor ToDevice(Tensor images, Device device, bool channelsLast)
    {
        var x = images.device == device ? images : images.to(device);
        return channelsLast && x.ndim == 4 ? x.ToChannelsLast() : x;
    }

    /// <summary>Whether a 4-D tensor's strides are channels-last (N, H, W, C order), as PyTorch decides it.</summary>
    public static bool IsChannelsLast(this Tensor t)
    {
        if (t.ndim != 4) return false;
        var expected = Strides(t.shape);
        var actual = t.stride();
        for (var d = 0; d < 4; d++)
            if (t.shape[d] != 1 && actual[d] != expected[d]) return false;
        return true;
    }

    /// <summary>
    /// A channels-last copy of a 4-D tensor (the tensor itself if already so; other ranks unchanged). Like PyTorch's
    /// <c>to(memory_format=...)</c>, size-1 dimensions get their channels-last stride too, so a (32, 1, 3, 3) weight
    /// ends up with strides (9, 1, 3, 1), not the NCHW ones that also count as "contiguous".
    /// </summary>
    public static Tensor ToChannelsLast(this Tensor t)
    {
        if (t.ndim != 4) return t;
        var strides = Strides(t.shape);
        if (t.stride().SequenceEqual(strides)) return t;
        var result = empty_strided(t.shape, strides, t.dtype, t.device);
        using (no_grad()) result.copy_(t);
        return result;
    }

    /// <summary>Re-lays every 4-D parameter and buffer of <paramref name="module"/> channels-last, in place.</summary>
    public static T ToChannelsLast<T>(this T module) where T : nn.Module
    {
        using var _ = no_grad();
        foreach (var p in module.parameters().Concat(module.buffers()))
        {
            if (p.ndim != 4 || p.stride().SequenceEqual(Strides(p.shape))) continue;
            using var copy = p.ToChannelsLast();
            p.set_(copy); // keeps the Parameter object (and so the optimizer's reference) and takes the new storage
        }
        return module;
    }

    /// <summary>The channels-last strides of an (N, C, H, W) shape: C is innermost, then W, H, N.</summary>
    public static long[] Strides(ReadOnlySpan<long> shape)
    {
        var (c, h, w) = (shape[1], shape[2], shape[3]);
        return new[] { h * w * c, 1, w * c, c };
    }
}
