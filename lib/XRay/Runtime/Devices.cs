using TorchSharp;
using static TorchSharp.torch;

namespace XRay.Runtime;

/// <summary>Where tensors go when the caller doesn't say: the first GPU if libtorch sees one, else the CPU.</summary>
public static class Devices
{
    public static Device Default => cuda.is_available() ? CUDA : CPU;
}
