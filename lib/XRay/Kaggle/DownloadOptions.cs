namespace XRay.Kaggle;

/// <summary>Retry and streaming settings of <see cref="FileDownloader"/>; tests inject a zero delay.</summary>
public sealed record DownloadOptions
{
    /// <summary>Retries after the first attempt (the Kaggle CLI's 5).</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>Wait before retry n (1-based): min(2^n + jitter, 60) s, as the Kaggle CLI.</summary>
    public Func<int, TimeSpan> Backoff { get; init; } = n => TimeSpan.FromSeconds(Math.Min(Math.Pow(2, n) + Random.Shared.NextDouble(), 60));

    /// <summary>How to wait; replaced in tests so retries are instant.</summary>
    public Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = Task.Delay;

    /// <summary>Read and write size (1 MiB, as the Kaggle CLI).</summary>
    public int ChunkBytes { get; init; } = 1 << 20;

    /// <summary>No byte for this long counts as a dropped connection.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Whether a host that cannot be resolved or refuses the connection is retried like a dropped transfer. Weight
    /// downloads turn it off: offline, they say so at once instead of after a minute of backoff.
    /// </summary>
    public bool RetryUnreachable { get; init; } = true;

    /// <summary>Where non-fatal notes go (retries, skips); null is the library's logger (<see cref="XRayLogging"/>).</summary>
    public Action<string>? Log { get; init; }
}
