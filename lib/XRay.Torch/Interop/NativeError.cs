using System.Runtime.InteropServices;

namespace XRay.Torch.Interop;

/// <summary>The one place native statuses become .NET exceptions.</summary>
internal static class NativeError
{
    // Mirrors xr_status in xray_native.h.
    private const int Ok = 0;
    private const int Torch = 1;
    private const int Index = 2;
    private const int Value = 3;
    private const int Argument = 7;
    private const int NoMemory = 8;

    public static void ThrowIfFailed(int status)
    {
        if (status == Ok) return;
        throw Create(status, LastMessage());
    }

    internal static unsafe string LastMessage()
    {
        byte* message;
        return NativeMethods.xr_error_message(&message) == Ok && message != null
            ? Marshal.PtrToStringUTF8((IntPtr)message) ?? string.Empty
            : "unknown native error";
    }

    private static Exception Create(int status, string message) => status switch
    {
        Index => new IndexOutOfRangeException(message),
        Value or Argument => new ArgumentException(message),
        NoMemory => new OutOfMemoryException(message),
        Torch => new TorchException(message),
        _ => new TorchException(message),
    };
}
