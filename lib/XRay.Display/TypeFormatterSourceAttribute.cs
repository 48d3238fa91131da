namespace XRay.Display;

/// <summary>
/// .NET Interactive finds formatters by convention, with no package reference: an attribute named
/// TypeFormatterSourceAttribute whose FormatterSourceType has a CreateTypeFormatters() method returning objects
/// with MimeType, Type and Format(object, TextWriter). VS Code's Polyglot Notebooks and our runner (both use
/// Microsoft.DotNet.Interactive.Formatting) then show the library's types this way. Public so XRay's types use it too.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class TypeFormatterSourceAttribute(Type formatterSourceType) : Attribute
{
    public Type FormatterSourceType { get; } = formatterSourceType;
}
