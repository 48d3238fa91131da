using System.CommandLine;
using System.Diagnostics;
using XRay.Cli;

namespace XRay.Cli.Tests.Commands;

/// <summary>Runs `xray ARGS...` in-process, capturing what it writes to standard output and standard error.</summary>
internal static class CliRunner
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = Program.Invoke(args, new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>
    /// Runs the built `xray` in a process of its own, as a user runs it, with <paramref name="environment"/> set (a null
    /// value removes the variable): for what a process reads once, such as the environment's opt-outs.
    /// </summary>
    public static (int Code, string Out, string Err) RunProcess(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var dll = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "XRay.Cli", Path.GetFileName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)), "XRay.Cli.dll"));
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var p = Process.Start(start)!;
        var error = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output, error.Result);
    }

    /// <summary>Bad input: a non-zero exit code and one "error: ..." line on stderr, never a stack trace; returns that line.</summary>
    public static string AssertRefused(params string[] args)
    {
        var (code, _, error) = Run(args);
        Assert.True(code != 0, $"`xray {string.Join(' ', args)}` exited 0");
        // Warnings (skipped files) may come first; the error is the last line, and the only one.
        var lines = error.TrimEnd('\n').Split('\n');
        Assert.StartsWith("error: ", lines[^1]);
        Assert.Single(lines, l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", error);
        return lines[^1];
    }
}
