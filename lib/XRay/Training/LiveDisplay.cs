using System.Reflection;

namespace XRay.Training;

/// <summary>
/// An output below the running notebook cell that <see cref="Update"/> replaces in place (live progress), in VS Code's
/// Polyglot Notebooks and in <c>xray notebook run</c>'s executed copy. It goes through
/// <c>KernelInvocationContext.Current.Display(value, mimeType)</c>, whose handle keeps its display id on Update
/// (in .NET Interactive 1.0.0-beta.26120.1, <c>display(x).Update(y)</c> publishes the update under another id, so
/// nothing changes on screen). The kernel is found by reflection, as its formatters find ours by convention, so the
/// library needs no reference to it; outside a notebook kernel the value is written to the console instead.
/// </summary>
public sealed class LiveDisplay
{
    private static readonly Lazy<KernelApi?> Kernel = new(KernelApi.Find);
    private readonly object? handle;
    private readonly MethodInfo? update;

    private LiveDisplay(object? handle, MethodInfo? update)
    {
        this.handle = handle;
        this.update = update;
    }

    /// <summary>Whether code runs in a .NET Interactive cell right now.</summary>
    public static bool InNotebook => Kernel.Value?.CurrentContext() is not null;

    /// <summary>Shows <paramref name="value"/> (formatted as <paramref name="mimeType"/>) and returns the handle.</summary>
    public static LiveDisplay Show(object value, string mimeType = "text/plain")
    {
        if (Kernel.Value is { } kernel && kernel.CurrentContext() is { } context)
        {
            var handle = kernel.Display.Invoke(null, new[] { context, value, new[] { mimeType } });
            if (handle?.GetType().GetMethod("Update", new[] { typeof(object) }) is { } update) return new LiveDisplay(handle, update);
        }
        Console.WriteLine(value);
        return new LiveDisplay(null, null);
    }

    /// <summary>Replaces the shown value (outside a notebook: writes the new value).</summary>
    public void Update(object value)
    {
        if (update is null) Console.WriteLine(value);
        else update.Invoke(handle, new[] { value });
    }

    private sealed record KernelApi(PropertyInfo Current, MethodInfo Display)
    {
        public object? CurrentContext() => Current.GetValue(null);

        // Only an assembly the kernel already loaded: a console app never loads the kernel for this.
        public static KernelApi? Find()
        {
            var assembly = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "Microsoft.DotNet.Interactive");
            var context = assembly?.GetType("Microsoft.DotNet.Interactive.KernelInvocationContext");
            var current = context?.GetProperty("Current", BindingFlags.Public | BindingFlags.Static);
            var display = assembly?.GetType("Microsoft.DotNet.Interactive.KernelInvocationContextExtensions")
                ?.GetMethod("Display", BindingFlags.Public | BindingFlags.Static, new[] { context!, typeof(object), typeof(string[]) });
            return current is not null && display is not null ? new KernelApi(current, display) : null;
        }
    }
}
