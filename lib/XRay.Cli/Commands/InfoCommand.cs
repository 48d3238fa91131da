using System.CommandLine;
using XRay.Runtime;

namespace XRay.Cli.Commands;

/// <summary>`xray info`: TorchSharp, libtorch and OpenCV versions, the device and the threads.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var command = new Command("info", "Show the TorchSharp, libtorch and OpenCV versions, the device, threads and CUDA devices.");
        command.SetAction(_ =>
        {
            foreach (var (name, value) in TorchRuntime.Describe()) Console.WriteLine($"{name}: {value}");
            Console.WriteLine($"cores: {Environment.ProcessorCount}");
            return 0;
        });
        return command;
    }
}
