using XRay.Torch.Interop;

namespace XRay.Torch;

/// <summary>A number passed to a tensor operation. Integers stay integral, so an int64 tensor plus 2 stays int64.</summary>
public readonly struct Scalar
{
    private readonly NativeScalar value;

    private Scalar(NativeScalar value) => this.value = value;

    public static implicit operator Scalar(double d) => new(new NativeScalar(d, (long)d, 0));
    public static implicit operator Scalar(float f) => new(new NativeScalar(f, (long)f, 0));
    public static implicit operator Scalar(long i) => new(new NativeScalar(i, i, 1));
    public static implicit operator Scalar(int i) => new(new NativeScalar(i, i, 1));
    public static implicit operator Scalar(bool b) => new(new NativeScalar(b ? 1 : 0, b ? 1 : 0, 2));

    public bool IsFloatingPoint => value.Kind == 0;

    public double ToDouble() => value.Kind == 0 ? value.D : value.I;

    public long ToInt64() => value.Kind == 0 ? (long)value.D : value.I;

    internal NativeScalar Native => value;

    internal static Scalar FromNative(NativeScalar native) => new(native);

    public override string ToString() => value.Kind switch
    {
        0 => value.D.ToString(System.Globalization.CultureInfo.InvariantCulture),
        2 => (value.I != 0).ToString(),
        _ => value.I.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
