namespace XRay.Notebooks.Execution;

/// <summary>How a <see cref="NotebookKernel"/> runs code.</summary>
public sealed record KernelOptions
{
    /// <summary>Where relative paths (in #r and in the code) resolve: the notebook's folder.</summary>
    public string WorkingDirectory { get; init; } = Environment.CurrentDirectory;

    /// <summary>The longest one submission (cell) may run; null for no limit.</summary>
    public TimeSpan? Timeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a timed-out cell gets to stop cooperatively before it is abandoned.</summary>
    public TimeSpan CancellationGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Namespaces every cell sees, as .NET Interactive's C# kernel imports them.</summary>
    public IReadOnlyList<string> Imports { get; init; } = new[]
    {
        "System", "System.IO", "System.Linq", "System.Text", "System.Threading.Tasks", "System.Collections.Generic",
    };
}
