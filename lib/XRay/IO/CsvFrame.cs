using System.Globalization;
using Microsoft.Data.Analysis;

namespace XRay.IO;

/// <summary>
/// DataFrames to and from CSV, always with explicit column types and the invariant culture: under a comma-decimal culture
/// (de-DE) DataFrame.SaveCsv throws and LoadCsv reads 0.861 as 8.61E+16, and untyped LoadCsv guesses Single for numbers.
/// </summary>
public static class CsvFrame
{
    public static void Save(DataFrame frame, string path)
    {
        using var buffer = new MemoryStream();
        DataFrame.SaveCsv(frame, buffer, cultureInfo: CultureInfo.InvariantCulture);
        AtomicFile.Write(path, buffer.ToArray());
    }

    /// <param name="types">One type per column, in the file's order.</param>
    public static DataFrame Load(string path, IReadOnlyList<Type> types) =>
        DataFrame.LoadCsv(path, dataTypes: types.ToArray(), guessRows: 0, cultureInfo: CultureInfo.InvariantCulture);

    /// <summary>The header's column names (a CSV line: quoted names may hold commas).</summary>
    public static IReadOnlyList<string> Header(string path)
    {
        using var reader = new StreamReader(path);
        var line = reader.ReadLine() ?? throw new InvalidDataException($"{path} is empty: expected a CSV header line.");
        var names = new List<string>();
        var (field, quoted) = (new System.Text.StringBuilder(), false);
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
            else if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) { names.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        names.Add(field.ToString());
        return names;
    }
}
