namespace XRay.Display;

/// <summary>One formatter in the shape .NET Interactive's convention expects (see <see cref="TypeFormatterSourceAttribute"/>).</summary>
public sealed class ConventionFormatter<T>(string mimeType, Func<T, string> format)
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
