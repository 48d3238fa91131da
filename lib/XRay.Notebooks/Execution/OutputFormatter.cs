using Microsoft.DotNet.Interactive.Formatting;

namespace XRay.Notebooks.Execution;

/// <summary>
/// Turns a value into a MIME bundle with Microsoft.DotNet.Interactive.Formatting, the library VS Code's
/// Polyglot Notebooks uses, so a value looks the same there and here. text/plain is always included.
/// </summary>
public static class OutputFormatter
{
    public static IReadOnlyDictionary<string, string> Format(object? value, params string[] mimeTypes)
    {
        var bundle = new Dictionary<string, string>();
        if (value is null)
        {
            bundle["text/plain"] = "<null>";
            return bundle;
        }
        var wanted = mimeTypes is { Length: > 0 } ? mimeTypes : Formatter.GetPreferredMimeTypesFor(value.GetType()).ToArray();
        foreach (var mime in wanted.Append("text/plain").Distinct())
            bundle[mime] = value.ToDisplayString(mime);
        return bundle;
    }
}
