using System.Runtime.InteropServices;

namespace XRay.Torch;

/// <summary>An error raised inside libtorch (a shape mismatch, a wrong dtype, CUDA unavailable, ...),
/// carrying libtorch's own message.</summary>
public sealed class TorchException : ExternalException
{
    public TorchException(string message) : base(message) { }
}
