namespace XRay.Kaggle;

/// <summary>Where a download stands: bytes on disk, the total when the server said, the rate of this session and the time left.</summary>
public sealed record DownloadProgress(long Bytes, long? Total, double BytesPerSecond, TimeSpan? Eta)
{
    public override string ToString()
    {
        static string Size(double b) => b >= 1 << 30 ? $"{b / (1 << 30):F2} GiB" : b >= 1 << 20 ? $"{b / (1 << 20):F1} MiB" : $"{b / 1024:F0} KiB";
        var total = Total is { } t ? $" / {Size(t)} ({100.0 * Bytes / Math.Max(1, t):F0}%)" : "";
        var eta = Eta is { } e ? $", {e:hh\\:mm\\:ss} left" : "";
        return $"{Size(Bytes)}{total} at {Size(BytesPerSecond)}/s{eta}";
    }
}
