namespace XRay.Data;

/// <summary>One labelled image file.</summary>
public sealed record ImageSample(string Path, int Label);
