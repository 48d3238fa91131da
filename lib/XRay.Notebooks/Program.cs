using XRay.Notebooks.Execution;

namespace XRay.Notebooks;

/// <summary>
/// XRay.Notebooks.dll is also the kernel process that <see cref="NotebookRunner"/> starts for each notebook (so a cell
/// past its timeout is stopped by killing that process): <c>dotnet XRay.Notebooks.dll --kernel-process</c>.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        if (args is not [WorkerProtocol.WorkerArgument])
        {
            Console.Error.WriteLine("XRay.Notebooks runs notebooks for `xray notebook run`; it is not meant to be started by hand.");
            return 2;
        }
        return await NotebookWorker.RunAsync(Console.In, Console.OpenStandardOutput());
    }
}
