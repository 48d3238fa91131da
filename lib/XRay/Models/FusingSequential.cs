using System.Collections;
using System.Reflection;
using System.Threading;
using TorchSharp.Modules;
using XRay.Runtime;
using static TorchSharp.torch;

namespace XRay.Models;

/// <summary>
/// <c>torch.nn.Sequential</c> that runs each ReLU followed by a max pooling as one op while training on the CPU
/// (<see cref="ReluMaxPool"/>: one pass forward and one backward where libtorch makes four, and one byte kept per
/// pooled value where libtorch keeps the ReLU's output and int64 indices). The result and the gradients are libtorch's,
/// bit for bit. The layers are the same objects with the same names, so parameters, state dicts, summaries and
/// feature maps are those of a plain Sequential (seed 002's CNN and the configurable CNN use it).
/// <para>
/// A pair runs as one op when all of these hold, and layer by layer otherwise: this module is in training mode and
/// gradients are on; the input needs a gradient and <see cref="ReluMaxPool.Handles"/> it (channels-last float32 or
/// bfloat16 on the CPU); the pooling's stride is its square window (no padding, dilation or ceil mode); neither layer
/// has a hook (a hook sees its layer's own output, which the fused op never makes); and <c>XRAY_FUSED_POOL</c> is not 0.
/// Its backward is differentiable too, for second derivatives (<c>create_graph</c>), through slower libtorch ops.
/// </para>
/// </summary>
public sealed class FusingSequential : Sequential
{
    // HookableModule's hook tables (protected in TorchSharp): read to leave hooked layers to themselves.
    private static readonly FieldInfo[] HookTables = typeof(nn.Module<Tensor, Tensor>).BaseType?
        .GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
        .Where(f => f.Name.EndsWith("hooks", StringComparison.Ordinal) && typeof(ICollection).IsAssignableFrom(f.FieldType))
        .ToArray() ?? [];

    private static long fusedCalls;

    public FusingSequential(params nn.Module<Tensor, Tensor>[] layers) : base(layers) { }

    /// <summary>How many ReLU + max pooling pairs have run as one op in this process (for the tests).</summary>
    internal static long FusedCalls => Interlocked.Read(ref fusedCalls);

    public override Tensor forward(Tensor input)
    {
        if (Count == 0) return input.alias();
        var x = input; // the caller's: never disposed here
        for (var i = 0; i < Count; i++)
        {
            Tensor next;
            if (i + 1 < Count && FusedKernel(this[i], this[i + 1], x) is int kernel)
            {
                next = ReluMaxPoolFunction.apply(x, kernel);
                Interlocked.Increment(ref fusedCalls);
                i++;
            }
            else
                next = this[i].call(x);
            // As Sequential: each intermediate result is let go once the next layer has it (an in-place layer may
            // hand back the very object it got).
            if (!ReferenceEquals(x, input) && !ReferenceEquals(x, next)) x.Dispose();
            x = next;
        }
        return ReferenceEquals(x, input) ? input.alias() : x;
    }

    /// <summary>The window of a ReLU + max pooling pair that can run as one op on <paramref name="x"/>, or null.</summary>
    private int? FusedKernel(nn.IModule<Tensor, Tensor> first, nn.IModule<Tensor, Tensor> second, Tensor x)
    {
        if (!ReluMaxPool.Enabled || !training || !is_grad_enabled() || !x.requires_grad) return null;
        if (first is not ReLU relu || second is not MaxPool2d pool) return null;
        if (pool.kernel_size is not [var kh, var kw] || kh != kw || pool.ceil_mode) return null;
        if (pool.stride is { } stride && stride.Any(s => s != kh)) return null;
        if (pool.padding is { } padding && padding.Any(p => p != 0)) return null;
        if (pool.dilation is { } dilation && dilation.Any(d => d != 1)) return null;
        if (HasHooks(relu) || HasHooks(pool) || !ReluMaxPool.Handles(x, kh)) return null;
        return (int)kh;
    }

    // Where TorchSharp's hook tables cannot be read, every layer counts as hooked: they then run one by one.
    private static bool HasHooks(nn.Module layer) =>
        HookTables.Length == 0 || HookTables.Any(table => table.GetValue(layer) is ICollection { Count: > 0 });

    /// <summary>ReLU + max pooling as one autograd op: forward and backward from <see cref="ReluMaxPool"/>.</summary>
    internal sealed class ReluMaxPoolFunction : autograd.SingleTensorFunction<ReluMaxPoolFunction>
    {
        private const string InputShape = "input shape", Kernel = "kernel";

        public override string Name => "ReluMaxPool2d";

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var (input, kernel) = ((Tensor)vars[0], (int)vars[1]);
            var (output, index) = ReluMaxPool.Forward(input, kernel);
            ctx.save_for_backward([index]);
            ctx.save_data(InputShape, input.shape);
            ctx.save_data(Kernel, kernel);
            return output;
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
        {
            using var index = ctx.get_saved_variables()[0];
            var (shape, kernel) = ((long[])ctx.get_data(InputShape), (int)ctx.get_data(Kernel));
            // Gradients on inside a backward: it builds a graph (create_graph), so the gradient must be differentiable too.
            var gradInput = is_grad_enabled()
                ? ReluMaxPool.DifferentiableBackward(gradOutput, index, shape, kernel)
                : ReluMaxPool.Backward(gradOutput, index, shape, kernel);
            return [gradInput, null!]; // none for the kernel, which is not a tensor
        }
    }
}
