namespace XRay.Notebooks.Execution;

/// <summary>The members notebook code can call without a using, as in .NET Interactive's C# kernel.</summary>
public class KernelGlobals
{
    private readonly OutputCollector collector;

    internal KernelGlobals(OutputCollector collector) => this.collector = collector;

    /// <summary>Shows a value below the cell; keep the handle to Update it later.</summary>
    public DisplayHandle display(object? value, params string[] mimeTypes) => collector.Display(value, mimeTypes);

    /// <summary>A token that is cancelled when the cell runs past its timeout; long loops in notebook code may observe it.</summary>
    public CancellationToken CellCancellationToken => CellCancellation.Token;
}
