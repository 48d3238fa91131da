using XRay.Imaging;
using XRay.Kaggle;

namespace XRay.Cli.Commands;

/// <summary>
/// Bad input ends a command with one line on standard error, never a stack trace: exit code 2 (usage) for a
/// <see cref="UsageException"/>, 1 (failure) for the rest listed here. Anything not listed is a bug and keeps its stack trace. InvalidDataException is a truncated or foreign checkpoint;
/// InvalidOperationException is the library refusing a call on the data it was given (resuming on other classes,
/// a split that yields no batches, every layer frozen).
/// </summary>
internal static class ExpectedErrors
{
    public static async Task<int> RunAsync(TextWriter error, Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is DownloadException or ArgumentException or DirectoryNotFoundException or FileNotFoundException
                                       or ImageLoadException or InvalidDataException or InvalidOperationException or IOException or UnauthorizedAccessException or UriFormatException)
        {
            await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("cancelled; run the same command again to resume").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
    }

    public static int Run(TextWriter error, Func<int> body) => RunAsync(error, () => Task.FromResult(body())).GetAwaiter().GetResult();
}
