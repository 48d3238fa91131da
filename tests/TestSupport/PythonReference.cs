using System.Diagnostics;

namespace XRay.TestSupport;

/// <summary>
/// Runs a script with Debian's python3 (/usr/bin/python3, where python3-torch and python3-opencv install; a pyenv python3 on PATH
/// would not see it). ./build.sh test installs the reference packages.
/// </summary>
internal static class PythonReference
{
    private const string Python = "/usr/bin/python3";

    public static string Run(string script, params string[] args)
    {
        Assert.True(File.Exists(Python), $"{Python} is missing: run ./build.sh test (it installs python3-torch and python3-opencv).");
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0,
            $"python3 failed ({process.ExitCode}); if torch or cv2 is missing run ./build.sh test to install python3-torch and python3-opencv.\n{stderr}");
        return stdout.Result.Trim();
    }
}
