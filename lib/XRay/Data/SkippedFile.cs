namespace XRay.Data;

/// <summary>A file left out of a dataset, and why (empty, truncated, not an image, too large, unreadable...).</summary>
public sealed record SkippedFile(string Path, string Reason)
{
    public override string ToString() => $"{Path}: {Reason}";
}
