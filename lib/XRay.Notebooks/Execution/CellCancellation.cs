namespace XRay.Notebooks.Execution;

/// <summary>
/// The cooperative stop for a cell past its timeout. The kernel rewrites every loop in notebook code to call
/// <see cref="Check"/>, so a runaway loop ends with an OperationCanceledException instead of running forever.
/// </summary>
public static class CellCancellation
{
    private static readonly AsyncLocal<CancellationToken> Current = new();

    public static CancellationToken Token => Current.Value;

    internal static void Set(CancellationToken token) => Current.Value = token;

    /// <summary>Injected at the top of every loop body of notebook code.</summary>
    public static void Check() => Current.Value.ThrowIfCancellationRequested();
}
