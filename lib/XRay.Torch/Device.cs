namespace XRay.Torch;

/// <summary>Where a tensor lives; numbered as c10::DeviceType.</summary>
public enum DeviceType
{
    CPU = 0,
    CUDA = 1,
}

public static partial class torch
{
    /// <summary>A device such as <c>cpu</c> or <c>cuda:0</c>.</summary>
    public sealed record Device(DeviceType type, int index = -1)
    {
        /// <summary>Parses "cpu", "cuda" or "cuda:N".</summary>
        public Device(string description) : this(Parse(description).type, Parse(description).index) { }

        public static Device CPU { get; } = new(DeviceType.CPU);

        public static Device CUDA(int index = 0)
        {
            if (index < 0) throw new ArgumentOutOfRangeException(nameof(index), index, "CUDA device index must be >= 0");
            return new Device(DeviceType.CUDA, index);
        }

        /// <summary>CUDA when a GPU is available, otherwise the CPU.</summary>
        public static Device Default => cuda.is_available() ? CUDA(0) : CPU;

        public override string ToString() =>
            type switch { DeviceType.CPU => "cpu", _ => index < 0 ? "cuda" : $"cuda:{index}" };

        private static (DeviceType type, int index) Parse(string description)
        {
            var text = description.Trim().ToLowerInvariant();
            if (text == "cpu") return (DeviceType.CPU, -1);
            if (text == "cuda") return (DeviceType.CUDA, 0);
            if (text.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(text[5..], out var i) && i >= 0)
                return (DeviceType.CUDA, i);
            throw new ArgumentException($"Unknown device '{description}': use \"cpu\", \"cuda\" or \"cuda:N\".", nameof(description));
        }
    }

    public static Device CPU => Device.CPU;

    public static Device CUDA => Device.CUDA(0);

    public static Device device(string description) => new(description);
}
