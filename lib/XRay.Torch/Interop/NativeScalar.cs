using System.Runtime.InteropServices;

namespace XRay.Torch.Interop;

/// <summary>Mirrors xr_scalar: kind 0 floating (D), 1 integral (I), 2 bool (I != 0).</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct NativeScalar
{
    public readonly double D;
    public readonly long I;
    public readonly int Kind;

    public NativeScalar(double d, long i, int kind)
    {
        D = d;
        I = i;
        Kind = kind;
    }
}
