using System.Globalization;
using System.Text;

namespace XRay.IO;

/// <summary>
/// CSV files of strings and numbers, always in the invariant culture: under a comma-decimal culture (de-DE) a number
/// written or read with the machine's culture would be 0,861 or 8.61E+16. A field holding a comma, a quote or a line
/// break is quoted, its quotes doubled (RFC 4180).
/// </summary>
public static class Csv
{
    /// <summary>Writes <paramref name="header"/> and <paramref name="rows"/> to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<object>> rows)
    {
        var text = new StringBuilder();
        text.AppendJoin(',', header.Select(Field)).Append('\n');
        foreach (var row in rows)
            text.AppendJoin(',', row.Select(v => Field(Convert.ToString(v, CultureInfo.InvariantCulture) ?? ""))).Append('\n');
        AtomicFile.Write(path, Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>The file's records, the header first, each split into its fields (quoted fields may hold commas and line breaks).</summary>
    public static IEnumerable<IReadOnlyList<string>> Read(string path)
    {
        using var reader = new StreamReader(path);
        var (fields, field, quoted, any) = (new List<string>(), new StringBuilder(), false, false);
        int c;
        while ((c = reader.Read()) != -1)
        {
            any = true;
            if (quoted)
            {
                if (c == '"' && reader.Peek() == '"') { field.Append('"'); reader.Read(); }
                else if (c == '"') quoted = false;
                else field.Append((char)c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else if (c == '\n' || c == '\r')
            {
                if (c == '\r' && reader.Peek() == '\n') reader.Read();
                fields.Add(field.ToString());
                field.Clear();
                yield return fields;
                (fields, any) = (new List<string>(), false);
            }
            else field.Append((char)c);
        }
        if (any)
        {
            fields.Add(field.ToString());
            yield return fields;
        }
    }

    /// <summary>The header's column names.</summary>
    public static IReadOnlyList<string> Header(string path) =>
        Read(path).FirstOrDefault() ?? throw new InvalidDataException($"{path} is empty: expected a CSV header line.");

    private static string Field(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";
}
