namespace XRay.Cli.Tests.Commands;

/// <summary>
/// Every command exits the same way: 0 ok, 1 failure (a file, the data or a download it cannot use), 2 usage (the
/// command line is wrong: an unknown or missing option, a value out of range, options that conflict). None of these
/// cases trains or loads a model: usage errors are caught before, and the failures name files that do not exist.
/// </summary>
public class ExitCodeTests
{
    private const string Missing = "/nonexistent/xray";

    public static TheoryData<string[]> UsageErrors() => new()
    {
        new[] { "train", "--bogus" },                                                          // the parser's: unknown option
        new[] { "train", "--data", Missing },                                                  // the parser's: --out is required
        new[] { "train", "--data", Missing, "--out", Missing, "--epochs", "0" },
        new[] { "train", "--data", Missing, "--out", Missing, "--val-split", "1" },
        new[] { "train", "--data", Missing, "--out", Missing, "--channels", "2" },
        new[] { "train", "--data", Missing, "--out", Missing, "--arch", "resnet" },
        new[] { "train", "--data", Missing, "--out", Missing, "--monitor", "val_auc" },
        new[] { "train", "--data", Missing, "--out", Missing, "--device", "tpu" },
        new[] { "train-classifier", "--data", Missing, "--out", Missing },                     // neither --checkpoint nor --arch
        new[] { "train-classifier", "--arch", "blog-cnn", "--data", Missing, "--out", Missing, "--val-split", "-0.1" },
        new[] { "evaluate", "--checkpoint", Missing + "/c.pt", "--data", Missing, "--batch", "0" },
        new[] { "evaluate", "--checkpoint", Missing + "/c.pt", "--data", Missing, "--target-sensitivity", "95" },
        new[] { "calibrate", "--checkpoint", Missing + "/c.pt", "--data", Missing, "--batch", "0" },
        new[] { "predict", "--checkpoint", Missing + "/c.pt", "--device", "tpu", "x.png" },
        new[] { "predict", "--checkpoint", Missing + "/c.pt" },                                // the parser's: no image
        new[] { "serve", "--checkpoint", Missing + "/c.pt", "--port", "70000" },
        new[] { "model", "summary", "--arch", "resnet", "--input", "3x32x32" },
        new[] { "data", "download", "--out", Missing },                                        // neither --dataset nor --url
        new[] { "weights", "download", "resnet50.IMAGENET1K_V1" },                             // no such weight set
        new[] { "no-such-command" },
    };

    public static TheoryData<string[]> Failures() => new()
    {
        new[] { "train", "--data", Missing, "--out", Missing },
        new[] { "train", "--data", Missing, "--out", Missing, "--resume", Missing + "/checkpoint.pt" },
        new[] { "train-classifier", "--checkpoint", Missing + "/c.pt", "--data", Missing, "--out", Missing },
        new[] { "evaluate", "--checkpoint", Missing + "/c.pt", "--data", Missing },
        new[] { "calibrate", "--checkpoint", Missing + "/c.pt", "--data", Missing },
        new[] { "predict", "--checkpoint", Missing + "/c.pt", "x.png" },
        new[] { "serve", "--checkpoint", Missing + "/c.pt" },
        new[] { "data", "stats", Missing },
    };

    [Theory]
    [MemberData(nameof(UsageErrors))]
    public void A_wrong_command_line_exits_2(string[] args)
    {
        var (code, _, error) = CliRunner.Run(args);
        Assert.True(code == 2, $"`xray {string.Join(' ', args)}` exited {code}: {error}");
        Assert.DoesNotContain("   at ", error);
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public void A_command_that_cannot_do_its_work_exits_1_with_one_error_line(string[] args)
    {
        var (code, _, error) = CliRunner.Run(args);
        Assert.True(code == 1, $"`xray {string.Join(' ', args)}` exited {code}: {error}");
        Assert.StartsWith("error: ", CliRunner.AssertRefused(args));
    }

    [Fact]
    public void The_help_lists_the_exit_codes()
    {
        var (code, output, _) = CliRunner.Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("Exit codes: 0 ok, 1 failure", output);
        Assert.Contains("2 usage", output);
    }
}
