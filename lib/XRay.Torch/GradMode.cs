using XRay.Torch.Interop;

namespace XRay.Torch;

public static partial class torch
{
    /// <summary>Turns gradient tracking off on this thread until disposed: <c>using (torch.no_grad()) { ... }</c>.</summary>
    public static IDisposable no_grad() => new GradModeScope(false);

    /// <summary>Turns gradient tracking on again inside a no_grad block.</summary>
    public static IDisposable enable_grad() => new GradModeScope(true);

    /// <summary>Sets gradient tracking on this thread until disposed.</summary>
    public static IDisposable set_grad_enabled(bool enabled) => new GradModeScope(enabled);

    public static unsafe bool is_grad_enabled()
    {
        int enabled;
        NativeError.ThrowIfFailed(NativeMethods.xr_autograd_is_grad_enabled(&enabled));
        return enabled != 0;
    }

    /// <summary>
    /// c10::InferenceMode on this thread until disposed: faster than no_grad for evaluation, and tensors made
    /// inside cannot later take part in autograd. Dispose it on the thread that created it.
    /// </summary>
    public static IDisposable inference_mode() => new InferenceModeScope();

    public static unsafe bool is_inference_mode_enabled()
    {
        int enabled;
        NativeError.ThrowIfFailed(NativeMethods.xr_autograd_is_inference_mode(&enabled));
        return enabled != 0;
    }

    private sealed class GradModeScope : IDisposable
    {
        private readonly bool previous;
        private bool disposed;

        public unsafe GradModeScope(bool enabled)
        {
            int prev;
            NativeError.ThrowIfFailed(NativeMethods.xr_autograd_set_grad_enabled(enabled ? 1 : 0, &prev));
            previous = prev != 0;
        }

        public unsafe void Dispose()
        {
            if (disposed) return;
            disposed = true;
            NativeError.ThrowIfFailed(NativeMethods.xr_autograd_set_grad_enabled(previous ? 1 : 0, null));
        }
    }

    private sealed class InferenceModeScope : IDisposable
    {
        private readonly GuardHandle guard;
        private readonly int threadId = Environment.CurrentManagedThreadId;

        public InferenceModeScope()
        {
            var status = NativeMethods.xr_autograd_inference_mode_enter(out guard);
            if (status != 0)
            {
                guard.Dispose();
                NativeError.ThrowIfFailed(status);
            }
        }

        public void Dispose()
        {
            if (guard.IsClosed) return;
            // The guard restores thread-local state: releasing it elsewhere would corrupt another thread's mode.
            if (Environment.CurrentManagedThreadId != threadId)
                throw new InvalidOperationException("inference_mode() must be disposed on the thread that entered it.");
            guard.Dispose();
        }
    }
}
