namespace XRay.Notebooks.Execution;

/// <summary>The outcome of running one piece of code in a <see cref="NotebookKernel"/>.</summary>
public sealed record SubmissionResult(IReadOnlyList<CellOutput> Outputs, DateTimeOffset Started, DateTimeOffset Finished)
{
    public ErrorOutput? Error => Outputs.OfType<ErrorOutput>().FirstOrDefault();

    public bool Succeeded => Error is null;

    public TimeSpan Duration => Finished - Started;
}
