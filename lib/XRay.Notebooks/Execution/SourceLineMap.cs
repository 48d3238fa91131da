namespace XRay.Notebooks.Execution;

/// <summary>
/// The kernel compiles a cell without its directive lines (<c>#!csharp</c>, <c>#r "nuget: ..."</c>) and leading blank
/// lines, so the line numbers it reports count in that code. This maps them back to the cell's lines, by walking both
/// texts in order and matching line contents.
/// </summary>
public static class SourceLineMap
{
    /// <summary>The 1-based cell line of 1-based <paramref name="compiledLine"/> in <paramref name="compiled"/>.</summary>
    public static int ToCellLine(string cell, string compiled, int compiledLine)
    {
        var source = Lines(cell);
        var code = Lines(compiled);
        var j = 0;
        for (var i = 0; i < code.Length && j < source.Length; i++, j++)
        {
            var at = Array.FindIndex(source, j, s => s.Trim() == code[i].Trim());
            if (at < 0) return compiledLine; // not the same text: report what the kernel said
            j = at;
            if (i + 1 == compiledLine) return j + 1;
        }
        return compiledLine;
    }

    private static string[] Lines(string text) => text.Replace("\r\n", "\n").Split('\n');
}
