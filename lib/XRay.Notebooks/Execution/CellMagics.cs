namespace XRay.Notebooks.Execution;

/// <summary>
/// The .NET Interactive cell magics the headless runner understands: <c>#!csharp</c> (run as C#) and
/// <c>#!markdown</c> (not code). Any other <c>#!</c> magic is refused with a clear message, as are NuGet
/// references, which cannot be restored offline.
/// </summary>
public static class CellMagics
{
    public enum Kind { CSharp, Markdown }

    /// <summary>The cell's language and its code with the magic line blanked (line numbers stay the same).</summary>
    public static (Kind kind, string code) Parse(string source)
    {
        var lines = source.Split('\n');
        var kind = Kind.CSharp;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var trimmed = line.TrimStart();
            if (trimmed.StartsWith("#!", StringComparison.Ordinal))
            {
                var magic = trimmed.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries)[0];
                switch (magic)
                {
                    case "#!csharp" or "#!c#" or "#!C#":
                        kind = Kind.CSharp;
                        lines[i] = "";
                        continue;
                    case "#!markdown":
                        return (Kind.Markdown, "");
                    default:
                        throw new NotSupportedException(
                            $"line {i + 1}: the magic command {magic} is not supported by the headless runner; " +
                            "it runs C# only (#!csharp and #!markdown cells).");
                }
            }
            if (trimmed.StartsWith("#r", StringComparison.Ordinal) && trimmed.Contains("\"nuget:", StringComparison.OrdinalIgnoreCase))
                throw new NotSupportedException(
                    $"line {i + 1}: NuGet references (#r \"nuget:...\") can't be restored here; " +
                    "reference the built library instead, e.g. #r \"../artifacts/bin/XRay/release/XRay.dll\".");
            if (trimmed.StartsWith("#i ", StringComparison.Ordinal))
                throw new NotSupportedException($"line {i + 1}: #i (package sources) is not supported by the headless runner.");
        }
        return (kind, string.Join('\n', lines));
    }
}
