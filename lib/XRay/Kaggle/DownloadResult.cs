namespace XRay.Kaggle;

/// <summary>
/// What a download did: the file (or, once unzipped, the folder), whether it was skipped as already complete, the
/// entries extracted and those refused because they would have landed outside the folder.
/// </summary>
public sealed record DownloadResult(string Path, bool Skipped, long Bytes, int ExtractedEntries, IReadOnlyList<string> RefusedEntries);
