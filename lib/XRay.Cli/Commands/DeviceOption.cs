using System.CommandLine;
using TorchSharp;
using XRay.Runtime;
using static TorchSharp.torch;

namespace XRay.Cli.Commands;

/// <summary>`--device auto|cpu|cuda[:N]`, shared by train, evaluate and predict.</summary>
internal static class DeviceOption
{
    public static Option<string> Create() => new("--device")
    {
        Description = "Where to run: auto (CUDA when available, else the CPU), cpu, cuda or cuda:N.",
        DefaultValueFactory = _ => "auto",
    };

    public static Device Resolve(string text)
    {
        if (text.Equals("auto", StringComparison.OrdinalIgnoreCase)) return Devices.Default;
        Device device;
        try
        {
            device = new Device(text);
        }
        catch (ArgumentException)
        {
            throw new UsageException($"--device '{text}' is not auto, cpu, cuda or cuda:N.");
        }
        if (device.type == DeviceType.CUDA && !cuda.is_available())
            throw new UsageException($"--device {text}: no CUDA device is available here; use --device cpu (or auto).");
        return device;
    }
}
