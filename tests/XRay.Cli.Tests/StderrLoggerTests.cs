using Microsoft.Extensions.Logging;
using XRay.Cli;

namespace XRay.Cli.Tests;

public class StderrLoggerTests
{
    [Fact]
    public void Warnings_read_as_before_the_library_logged_notes_are_plain_and_debug_is_left_out()
    {
        var error = new StringWriter();
        var logger = new StderrLogger(error).CreateLogger("XRay.Data.PreprocessedCache");

        logger.LogWarning(new IOException("disk full"), "Could not save the image cache to {Path}: {Reason}", "/c/x.xrcache", "disk full");
        logger.LogInformation("{Message}", "skipping the download");
        logger.LogError("{Message}", "boom");
        logger.LogDebug("{Message}", "details");

        Assert.Equal(["warning: Could not save the image cache to /c/x.xrcache: disk full", "skipping the download", "error: boom"],
            error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }
}
