using XRay.Notebooks.Format;
using XRay.TestSupport;

namespace XRay.Notebooks.Tests;

public class NotebookFileTests
{
    public static IEnumerable<object[]> Names() => NotebooksTests.Names();

    /// <summary>Read and written with Microsoft.DotNet.Interactive.Documents, a committed notebook comes back byte for byte.</summary>
    [Theory]
    [MemberData(nameof(Names))]
    public void Notebooks_round_trip_byte_for_byte(string name)
    {
        var path = Path.Combine(Repository.Root(), "notebooks", name);
        var text = File.ReadAllText(path);
        Assert.Equal(text, NotebookFile.ToJson(NotebookFile.Parse(text)));
    }

    [Fact]
    public void Broken_files_are_refused_with_a_reason()
    {
        var e = Assert.Throws<InvalidDataException>(() => NotebookFile.Parse("not json", "broken.ipynb"));
        Assert.Contains("broken.ipynb", e.Message);
        Assert.Throws<FileNotFoundException>(() => NotebookFile.Load("/nonexistent/x.ipynb"));
    }
}
