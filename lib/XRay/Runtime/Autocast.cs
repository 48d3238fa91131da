using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace XRay.Runtime;

/// <summary>
/// libtorch's autocast (what Python's <c>torch.autocast</c> turns on), which TorchSharp 0.107 does not expose. The switch
/// is a handful of plain C++ functions in libtorch_cpu (<c>at::autocast::set_autocast_enabled</c> and friends) whose
/// arguments are one-byte enums and a bool, so they are called here by their mangled names. Inside a scope, libtorch's
/// dispatcher runs convolutions and matrix products in the lower precision and keeps the ops on its fp32 list
/// (batch norm's statistics, losses, softmax) in fp32, exactly as PyTorch's autocast does; parameters stay fp32.
/// The state is per thread, like Python's: open and dispose a scope on the thread that runs the forward.
/// </summary>
public static class Autocast
{
    // c10::DeviceType and c10::ScalarType are enum classes over int8_t.
    private const sbyte DeviceTypeCpu = 0, DeviceTypeCuda = 1;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate byte IsEnabledFn(sbyte deviceType);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate void SetEnabledFn(sbyte deviceType, byte enabled);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate sbyte GetDtypeFn(sbyte deviceType);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate void SetDtypeFn(sbyte deviceType, sbyte dtype);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int NestingFn();
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate void ClearCacheFn();

    private sealed record Functions(IsEnabledFn IsEnabled, SetEnabledFn SetEnabled, GetDtypeFn GetDtype, SetDtypeFn SetDtype,
        NestingFn Increment, NestingFn Decrement, ClearCacheFn ClearCache);

    private static readonly Lazy<Functions> Native = new(Bind);

    /// <summary>Whether autocast is on for <paramref name="device"/>'s type on this thread.</summary>
    public static bool IsEnabled(Device device) => Native.Value.IsEnabled(DeviceType(device)) != 0;

    /// <summary>
    /// Turns autocast on for <paramref name="device"/>'s type with <paramref name="dtype"/> (BFloat16 or Float16) until the
    /// returned scope is disposed, then restores what was there. Null <paramref name="dtype"/> (fp32) returns a scope that
    /// does nothing, so callers can write one <c>using</c> for every precision.
    /// </summary>
    public static IDisposable Enter(Device device, ScalarType? dtype)
    {
        if (dtype is null) return NoScope.Instance;
        if (dtype is not (ScalarType.BFloat16 or ScalarType.Float16))
            throw new ArgumentException($"Autocast runs in BFloat16 or Float16, not {dtype}.", nameof(dtype));
        return new Scope(DeviceType(device), dtype.Value);
    }

    private sealed class Scope : IDisposable
    {
        private readonly sbyte deviceType;
        private readonly byte wasEnabled;
        private readonly sbyte previousDtype;
        private bool disposed;

        public Scope(sbyte deviceType, ScalarType dtype)
        {
            var f = Native.Value;
            this.deviceType = deviceType;
            wasEnabled = f.IsEnabled(deviceType);
            previousDtype = f.GetDtype(deviceType);
            f.SetEnabled(deviceType, 1);
            f.SetDtype(deviceType, (sbyte)dtype);
            f.Increment();
        }

        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            var f = Native.Value;
            // As Python's __exit__: the cast weights are cached while any scope is open; leaving the outermost clears them,
            // so the next step casts the updated weights instead of reusing last step's copies.
            if (f.Decrement() == 0) f.ClearCache();
            f.SetEnabled(deviceType, wasEnabled);
            f.SetDtype(deviceType, previousDtype);
        }
    }

    private sealed class NoScope : IDisposable
    {
        public static readonly NoScope Instance = new();
        public void Dispose() { }
    }

    private static sbyte DeviceType(Device device) => device.type switch
    {
        TorchSharp.DeviceType.CPU => DeviceTypeCpu,
        TorchSharp.DeviceType.CUDA => DeviceTypeCuda,
        var other => throw new NotSupportedException($"Autocast is wired for the CPU and CUDA, not {other}."),
    };

    private static Functions Bind()
    {
        TorchRuntime.EnsureLoaded();
        _ = get_num_threads(); // maps TorchSharp's native library and, through it, libtorch_cpu
        // dlopen of a library already mapped returns that same copy, whose thread-local autocast state the dispatcher reads.
        var file = TorchRuntime.LoadedLibTorch() is { } folder ? Path.Combine(folder, "libtorch_cpu.so") : "libtorch_cpu.so";
        if (!NativeLibrary.TryLoad(file, out var library))
            throw new DllNotFoundException($"{file} did not load; autocast needs TorchSharp's libtorch.");
        T Get<T>(string mangled, string readable) where T : Delegate =>
            NativeLibrary.TryGetExport(library, mangled, out var address)
                ? Marshal.GetDelegateForFunctionPointer<T>(address)
                : throw new EntryPointNotFoundException(
                    $"libtorch_cpu.so has no {readable} ({mangled}); this libtorch differs from the 2.10 the autocast binding was written for.");
        return new Functions(
            Get<IsEnabledFn>("_ZN2at8autocast19is_autocast_enabledEN3c1010DeviceTypeE", "at::autocast::is_autocast_enabled"),
            Get<SetEnabledFn>("_ZN2at8autocast20set_autocast_enabledEN3c1010DeviceTypeEb", "at::autocast::set_autocast_enabled"),
            Get<GetDtypeFn>("_ZN2at8autocast18get_autocast_dtypeEN3c1010DeviceTypeE", "at::autocast::get_autocast_dtype"),
            Get<SetDtypeFn>("_ZN2at8autocast18set_autocast_dtypeEN3c1010DeviceTypeENS1_10ScalarTypeE", "at::autocast::set_autocast_dtype"),
            Get<NestingFn>("_ZN2at8autocast17increment_nestingEv", "at::autocast::increment_nesting"),
            Get<NestingFn>("_ZN2at8autocast17decrement_nestingEv", "at::autocast::decrement_nesting"),
            Get<ClearCacheFn>("_ZN2at8autocast11clear_cacheEv", "at::autocast::clear_cache"));
    }
}
