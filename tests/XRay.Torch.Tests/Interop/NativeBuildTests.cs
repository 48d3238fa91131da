using System.Diagnostics;
using XRay.TestSupport;

namespace XRay.Torch.Tests;

/// <summary>lib/native/build-native.sh, which the XRay.Torch build runs: missing dependencies give one clear line.</summary>
public class NativeBuildTests
{
    private static (int exitCode, string output) RunBuildScript(string cmakeArgs)
    {
        var script = Path.Combine(Repository.Root(), "lib", "native", "build-native.sh");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(TestData.TempFolder());
        start.Environment["XRAY_CMAKE_ARGS"] = cmakeArgs;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Trim());
    }

    [Theory]
    [InlineData("-DCMAKE_DISABLE_FIND_PACKAGE_Torch=TRUE", "XRAY: libtorch not found. Run ./build.sh setup")]
    public void A_missing_dependency_fails_with_one_line_naming_the_setup_command(string cmakeArgs, string expected)
    {
        var (exitCode, output) = RunBuildScript(cmakeArgs);
        Assert.NotEqual(0, exitCode);
        Assert.Single(output.Split('\n'));
        Assert.StartsWith(expected, output);
    }
}
