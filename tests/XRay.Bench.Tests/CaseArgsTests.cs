using XRay.Training;

namespace XRay.Bench.Tests;

public class CaseArgsTests
{
    [Theory]
    [InlineData("fp32", TrainingPrecision.Fp32)]
    [InlineData("bf16", TrainingPrecision.Bf16)]
    [InlineData("fp16", TrainingPrecision.Fp16)]
    public void Precision_reads_reference_py_s_spelling(string text, TrainingPrecision expected) =>
        Assert.Equal(expected, new CaseArgs(new[] { "--precision", text }).Precision());

    [Fact]
    public void Precision_is_fp32_when_absent_and_refuses_other_spellings()
    {
        Assert.Equal(TrainingPrecision.Fp32, new CaseArgs(new[] { "--threads", "2" }).Precision());
        var error = Assert.Throws<ArgumentException>(() => new CaseArgs(new[] { "--precision", "auto" }).Precision());
        Assert.Contains("'auto'", error.Message);
        Assert.Contains("fp32, bf16 or fp16", error.Message);
    }
}
