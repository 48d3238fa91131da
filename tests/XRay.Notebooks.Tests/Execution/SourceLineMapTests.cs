using XRay.Notebooks.Execution;

namespace XRay.Notebooks.Tests;

public class SourceLineMapTests
{
    [Theory]
    [InlineData("a();\nb();", "a();\nb();", 2, 2)]
    [InlineData("#!csharp\n\na();\nb();", "a();\nb();", 2, 4)]
    [InlineData("x();\n#r \"nuget: P, 1.0\"\nx();\ny();", "x();\nx();\ny();", 3, 4)]
    [InlineData("a();", "totally different", 1, 1)]
    public void Kernel_lines_map_back_to_cell_lines(string cell, string compiled, int line, int expected) =>
        Assert.Equal(expected, SourceLineMap.ToCellLine(cell, compiled, line));
}
