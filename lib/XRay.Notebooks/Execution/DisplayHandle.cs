namespace XRay.Notebooks.Execution;

/// <summary>What display() returns, as in .NET Interactive: Update replaces that output in place (live progress).</summary>
public sealed class DisplayHandle
{
    private readonly DisplayDataOutput output;

    internal DisplayHandle(DisplayDataOutput output) => this.output = output;

    public string DisplayId => output.DisplayId;

    public void Update(object? value) => output.Data = OutputFormatter.Format(value);
}
