using XRay.Notebooks.Format;

namespace XRay.Notebooks.Tests;

public class NotebookDocumentTests
{
    [Fact]
    public void Sources_as_lists_or_strings_and_unknown_fields_survive_a_round_trip()
    {
        const string json = """
        {"cells":[{"cell_type":"code","execution_count":null,"metadata":{"custom":1},"outputs":[],"source":["var a = 1;\n","a"]},
                  {"cell_type":"markdown","metadata":{},"source":"# Hi"}],
         "metadata":{"kernelspec":{"name":".net-csharp"}},"nbformat":4,"nbformat_minor":5,"extra":"kept"}
        """;
        var doc = NotebookDocument.Parse(json);
        Assert.Equal("var a = 1;\na", doc.Cells[0].Source);
        Assert.Equal("# Hi", doc.Cells[1].Source);
        var again = NotebookDocument.Parse(doc.ToJson());
        Assert.Contains("\"extra\": \"kept\"", doc.ToJson());
        Assert.Equal(1, again.Cells[0].Metadata["custom"]!.GetValue<int>());
        Assert.Equal(doc.Cells[0].Source, again.Cells[0].Source);
    }

    [Theory]
    [InlineData("not json", "is not valid JSON")]
    [InlineData("{\"nbformat\":4}", "has no \"cells\" array")]
    [InlineData("{\"cells\":[],\"nbformat\":3}", "only nbformat 4")]
    public void Broken_files_are_refused_with_a_reason(string json, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => NotebookDocument.Parse(json, "broken.ipynb"));
        Assert.Contains(expected, e.Message);
        Assert.Contains("broken.ipynb", e.Message);
    }

    [Fact]
    public void New_notebooks_carry_valid_polyglot_metadata_and_problems_are_listed()
    {
        var doc = NotebookDocument.CreatePolyglot();
        doc.AddCell("code", "1");
        Assert.Empty(PolyglotMetadata.Problems(doc));
        doc.Metadata.Remove("kernelspec");
        doc.Cells[0].Metadata.Remove("polyglot_notebook");
        var problems = PolyglotMetadata.Problems(doc);
        Assert.Contains(problems, p => p.Contains("kernelspec.name"));
        Assert.Contains(problems, p => p.Contains("cell 1: metadata.polyglot_notebook.kernelName"));
    }
}
