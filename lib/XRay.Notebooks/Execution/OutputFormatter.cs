using Microsoft.DotNet.Interactive.Formatting;
using XRay.Display;

namespace XRay.Notebooks.Execution;

/// <summary>
/// Turns a value into a MIME bundle with Microsoft.DotNet.Interactive.Formatting, the library the notebook kernel
/// formats with, so a value looks the same in VS Code and in the executed copy. text/plain is always included, and so
/// are static images (SVG, PNG) when the type has formatters for them, so the notebook also shows on GitHub.
/// </summary>
public static class OutputFormatter
{
    private static readonly string[] StaticImageTypes = { "image/svg+xml", "image/png" };

    // Tensors (a type we don't own) and the library's result types carry no TypeFormatterSource attribute: register
    // their formatters here, once (notebooks/usings.dib does the same in VS Code's kernel).
    static OutputFormatter() => NotebookFormatters.Register((type, format, mimeType) => Formatter.Register(type, format, mimeType));

    /// <summary>Registers the formatters for types we don't own (the kernel process calls this at start).</summary>
    public static void RegisterFormatters()
    {
        // The static constructor does the work.
    }

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
        if (mimeTypes is { Length: > 0 }) return bundle;
        AddStaticImages(value, bundle);
        return bundle;
    }

    /// <summary>Adds text/plain and the static images to what the kernel formatted, when missing.</summary>
    public static void Complete(object value, IDictionary<string, string> bundle)
    {
        if (!bundle.ContainsKey("text/plain")) bundle["text/plain"] = value.ToDisplayString("text/plain");
        AddStaticImages(value, bundle);
    }

    private static void AddStaticImages(object value, IDictionary<string, string> bundle)
    {
        foreach (var mime in StaticImageTypes.Where(m => !bundle.ContainsKey(m)))
        {
            try
            {
                bundle[mime] = value.ToDisplayString(mime);
            }
            catch (ArgumentException)
            {
                // No formatter for this type and MIME type: nothing to add.
            }
        }
    }
}
