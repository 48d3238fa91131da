namespace XRay.Torch;

public static partial class torch
{
    /// <summary>The layout of a 4-D tensor in memory; numbers match xray_native.h.</summary>
    public enum MemoryFormat
    {
        /// <summary>NCHW, row-major.</summary>
        Contiguous = 0,

        /// <summary>NHWC: channels adjacent in memory, often faster for convolutions on CPU.</summary>
        ChannelsLast = 1,

        Preserve = 2,
    }

    public const MemoryFormat contiguous_format = MemoryFormat.Contiguous;
    public const MemoryFormat channels_last = MemoryFormat.ChannelsLast;
    public const MemoryFormat preserve_format = MemoryFormat.Preserve;
}
