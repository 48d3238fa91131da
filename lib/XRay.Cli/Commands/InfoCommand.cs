using System.CommandLine;
using XRay.Imaging;
using static XRay.Torch.torch;

namespace XRay.Cli.Commands;

/// <summary>`xray info`: the engine, its threads and whether CUDA is there.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var command = new Command("info", "Show the libtorch and OpenCV versions, threads and CUDA devices.");
        command.SetAction(_ =>
        {
            Console.WriteLine($"libtorch {__version__}, OpenCV {cv.__version__}");
            Console.WriteLine($"threads: {get_num_threads()} of {Environment.ProcessorCount} cores");
            Console.WriteLine(cuda.is_available()
                ? $"CUDA: {cuda.device_count()} device(s), cuDNN {(cuda.is_cudnn_available() ? "yes" : "no")}"
                : "CUDA: not available (CPU only)");
            return 0;
        });
        return command;
    }
}
