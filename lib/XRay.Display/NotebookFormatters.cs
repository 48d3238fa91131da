using System.Reflection;

namespace XRay.Display;

/// <summary>
/// The formatters of the library's own result types (History, ConfusionMatrix, ClassificationReport, ModelSummary,
/// DatasetStats) and of TorchSharp's tensors. Those types carry no formatter attribute, so that Display uses them and
/// not the other way round; they are registered here instead, with the kernel's
/// <c>Microsoft.DotNet.Interactive.Formatting.Formatter.Register(Type, Action&lt;object, TextWriter&gt;, string)</c>,
/// found by reflection as XRay.Training.LiveDisplay finds the kernel (the library needs no reference to it).
/// notebooks/usings.dib calls <see cref="Register()"/>, so it runs in VS Code's and Jupyter's kernel and in ours.
/// Display's own types (Figure, Table, Picture, ...) keep their <see cref="TypeFormatterSourceAttribute"/>.
/// </summary>
public static class NotebookFormatters
{
    private static int registered;

    /// <summary>The formatters <see cref="Register()"/> registers, each for one type and MIME type.</summary>
    public static IReadOnlyList<IConventionFormatter> All { get; } = new IEnumerable<object>[]
    {
        new HistoryFormatterSource().CreateTypeFormatters(),
        new ConfusionMatrixFormatterSource().CreateTypeFormatters(),
        new ClassificationReportFormatterSource().CreateTypeFormatters(),
        new ModelSummaryFormatterSource().CreateTypeFormatters(),
        new DatasetStatsFormatterSource().CreateTypeFormatters(),
        new TensorFormatterSource().CreateTypeFormatters(),
    }.SelectMany(f => f).Cast<IConventionFormatter>().ToList();

    /// <summary>
    /// Registers <see cref="All"/> with the notebook kernel's formatter, once per process; false outside a kernel (no
    /// Microsoft.DotNet.Interactive.Formatting loaded), where there is nothing to register with.
    /// </summary>
    public static bool Register() =>
        FindRegister() is { } register && Register((type, format, mimeType) =>
            register.Invoke(null, new object?[] { type, format, mimeType }.Concat(register.GetParameters().Skip(3).Select(p => p.DefaultValue)).ToArray()));

    /// <summary>Registers <see cref="All"/> through <paramref name="register"/> (a host that references the formatter itself), once per process.</summary>
    public static bool Register(Action<Type, Action<object, TextWriter>, string> register)
    {
        if (Interlocked.Exchange(ref registered, 1) == 1) return true;
        foreach (var formatter in All) register(formatter.Type, (value, writer) => formatter.Format(value, writer), formatter.MimeType);
        return true;
    }

    // Only an assembly the kernel already loaded: a console app never loads the kernel's formatter for this.
    private static MethodInfo? FindRegister() =>
        AppDomain.CurrentDomain.GetAssemblies()
            .FirstOrDefault(a => a.GetName().Name == "Microsoft.DotNet.Interactive.Formatting")
            ?.GetType("Microsoft.DotNet.Interactive.Formatting.Formatter")
            ?.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .FirstOrDefault(m => m.Name == "Register" && !m.IsGenericMethod && m.GetParameters() is { Length: >= 3 } p
                && p[0].ParameterType == typeof(Type) && p[1].ParameterType == typeof(Action<object, TextWriter>)
                && p[2].ParameterType == typeof(string) && p.Skip(3).All(q => q.HasDefaultValue));
}
