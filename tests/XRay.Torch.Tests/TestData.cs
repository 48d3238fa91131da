namespace XRay.Torch.Tests;

/// <summary>Small helpers shared by the tests.</summary>
internal static class TestData
{
    /// <summary>Asserts element-wise closeness with a message that shows both arrays.</summary>
    public static void Close(double[] expected, double[] actual, double tolerance = 1e-5)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance,
                $"element {i}: expected {expected[i]}, got {actual[i]}\nexpected [{string.Join(", ", expected)}]\nactual   [{string.Join(", ", actual)}]");
    }

    public static void Close(float[] expected, float[] actual, double tolerance = 1e-5) =>
        Close(expected.Select(x => (double)x).ToArray(), actual.Select(x => (double)x).ToArray(), tolerance);

    public static string TempFolder()
    {
        var path = Path.Combine(Path.GetTempPath(), "xray-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
