namespace XRay.Cli.Commands;

/// <summary>
/// A command was called wrongly: an option's value out of range, options that conflict, an option the command cannot
/// use here. <see cref="ExpectedErrors"/> prints its message and exits with <see cref="ExitCodes.Usage"/>. An
/// <see cref="ArgumentException"/>, so code that handles bad arguments handles it too.
/// </summary>
internal sealed class UsageException(string message) : ArgumentException(message);
