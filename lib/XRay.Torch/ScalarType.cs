namespace XRay.Torch;

public static partial class torch
{
    /// <summary>Element types, numbered as c10::ScalarType (and TorchSharp) number them.</summary>
    public enum ScalarType : sbyte
    {
        Byte = 0,
        Int8 = 1,
        Int16 = 2,
        Int32 = 3,
        Int64 = 4,
        Float16 = 5,
        Float32 = 6,
        Float64 = 7,
        Bool = 11,
        BFloat16 = 15,
    }

    public const ScalarType uint8 = ScalarType.Byte;
    public const ScalarType int8 = ScalarType.Int8;
    public const ScalarType int16 = ScalarType.Int16;
    public const ScalarType int32 = ScalarType.Int32;
    public const ScalarType int64 = ScalarType.Int64;
    public const ScalarType float16 = ScalarType.Float16;
    public const ScalarType bfloat16 = ScalarType.BFloat16;
    public const ScalarType float32 = ScalarType.Float32;
    public const ScalarType float64 = ScalarType.Float64;
    public const ScalarType @bool = ScalarType.Bool;
    public const ScalarType @int = ScalarType.Int32;
    public const ScalarType @long = ScalarType.Int64;
    public const ScalarType @float = ScalarType.Float32;
    public const ScalarType @double = ScalarType.Float64;

    /// <summary>The element type that stores a .NET type, for creation from arrays and data access.</summary>
    internal static ScalarType ScalarTypeOf<T>() where T : unmanaged => default(T) switch
    {
        float => ScalarType.Float32,
        double => ScalarType.Float64,
        long => ScalarType.Int64,
        int => ScalarType.Int32,
        short => ScalarType.Int16,
        byte => ScalarType.Byte,
        sbyte => ScalarType.Int8,
        bool => ScalarType.Bool,
        Half => ScalarType.Float16,
        _ => throw new NotSupportedException($"{typeof(T).Name} has no tensor element type; use float, double, long, int, short, byte, sbyte, bool or Half"),
    };

    internal static bool IsFloatingPoint(ScalarType type) =>
        type is ScalarType.Float16 or ScalarType.Float32 or ScalarType.Float64 or ScalarType.BFloat16;
}
