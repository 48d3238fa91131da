using XRay.Torch.Interop;

namespace XRay.Torch;

public static partial class torch
{
    public static partial class optim
    {
        /// <summary>
        /// One of libtorch's optimizers over a set of parameters. Its state (Adam's moments, momentum buffers, step
        /// counts) saves and loads for resuming.
        /// </summary>
        public sealed class Optimizer : IDisposable
        {
            private readonly OptimizerHandle handle;
            private readonly nn.Parameter[] parameters;

            internal Optimizer(string name, nn.Parameter[] parameters, Func<IntPtr[], OptimizerHandle> create)
            {
                if (parameters.Length == 0)
                    throw new ArgumentException($"{name} got an empty parameter list; pass model.parameters().");
                Name = name;
                this.parameters = parameters;
                using var list = new HandleList(parameters);
                handle = create(list.Pointers);
            }

            public string Name { get; }

            private OptimizerHandle Handle =>
                handle.IsClosed ? throw new ObjectDisposedException(Name, "This optimizer has been disposed.") : handle;

            public IReadOnlyList<nn.Parameter> Parameters => parameters;

            /// <summary>Updates every parameter from its gradient.</summary>
            public void step() => NativeError.ThrowIfFailed(NativeMethods.xr_optim_step(Handle));

            /// <summary>Zeroes the gradients in place, keeping their memory for the next step.</summary>
            public void zero_grad() => NativeError.ThrowIfFailed(NativeMethods.xr_optim_zero_grad(Handle));

            /// <summary>The learning rate (of every parameter group); set it for schedules.</summary>
            public unsafe double LearningRate
            {
                get
                {
                    double lr;
                    NativeError.ThrowIfFailed(NativeMethods.xr_optim_get_lr(Handle, &lr));
                    return lr;
                }
                set => NativeError.ThrowIfFailed(NativeMethods.xr_optim_set_lr(Handle, value));
            }

            /// <summary>The optimizer's state as bytes (libtorch's archive format), for a checkpoint.</summary>
            public byte[] state_dict()
            {
                var status = NativeMethods.xr_optim_state_save(Handle, out var bytes);
                using (bytes)
                {
                    NativeError.ThrowIfFailed(status);
                    return bytes.ToArray();
                }
            }

            /// <summary>Restores state from <see cref="state_dict"/>, for an optimizer over the same parameter shapes.</summary>
            public unsafe void load_state_dict(ReadOnlySpan<byte> state)
            {
                if (state.IsEmpty) throw new ArgumentException("The optimizer state is empty.", nameof(state));
                fixed (byte* p = state)
                    NativeError.ThrowIfFailed(NativeMethods.xr_optim_state_load(Handle, p, state.Length));
            }

            public void save_state_dict(string path) => WriteAtomically(path, state_dict());

            public void load_state_dict(string path) => load_state_dict(File.ReadAllBytes(path));

            public void Dispose() => handle.Dispose();

            public override string ToString() => $"{Name}(lr={LearningRate}, parameters={parameters.Length})";
        }
    }
}
