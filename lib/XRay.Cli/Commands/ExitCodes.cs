namespace XRay.Cli.Commands;

/// <summary>What every `xray` command exits with (README "Commands" and `xray --help` list them).</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Ok = 0;

    /// <summary>It could not: a missing or unreadable file, data it cannot use, a failed download, a diverged run.</summary>
    public const int Failure = 1;

    /// <summary>It was called wrongly: an unknown command or option, a missing or bad value, conflicting options.</summary>
    public const int Usage = 2;

    /// <summary>Interrupted (Ctrl+C), as shells report SIGINT (128 + 2); running the command again resumes.</summary>
    public const int Cancelled = 130;

    /// <summary>The help text's paragraph on exit codes.</summary>
    public const string Help = "Exit codes: 0 ok, 1 failure (a file, the data or a download could not be used), 2 usage (unknown or bad " +
                               "options), 130 cancelled.";
}
