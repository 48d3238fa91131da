namespace XRay.Display;

/// <summary>A formatter for one type and MIME type, whatever the type (see <see cref="NotebookFormatters"/>).</summary>
public interface IConventionFormatter
{
    string MimeType { get; }
    Type Type { get; }
    bool Format(object instance, TextWriter writer);
}

/// <summary>One formatter in the shape .NET Interactive's convention expects (see <see cref="TypeFormatterSourceAttribute"/>).</summary>
public sealed class ConventionFormatter<T>(string mimeType, Func<T, string> format) : IConventionFormatter
{
    public string MimeType { get; } = mimeType;

    public Type Type => typeof(T);

    public bool Format(object instance, TextWriter writer)
    {
        if (instance is not T value) return false;
        writer.Write(format(value));
        return true;
    }
}
