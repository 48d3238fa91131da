namespace XRay.Web;

/// <summary>What `xray serve` was told: the checkpoint, where to listen, the upload limit, the replica pool's size and the grace period at shutdown.</summary>
public sealed record ServeOptions
{
    /// <summary>A checkpoint written by `xray train` or a notebook.</summary>
    public required string Checkpoint { get; init; }

    /// <summary>Loopback unless told otherwise: the page has no login.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>0 picks a free port (the address printed at start says which).</summary>
    public int Port { get; init; } = 5000;

    /// <summary>The largest request body accepted; a larger one is answered 413 before it is read.</summary>
    public int MaxUploadMb { get; init; } = 20;

    /// <summary>Model replicas, so this many requests run the network at once (see <see cref="ClassifierPool"/>).</summary>
    public int Replicas { get; init; } = ClassifierPool.DefaultReplicas;

    /// <summary>A dataset folder whose test split is evaluated once at start, to show the test accuracy on the page; optional.</summary>
    public string? TestData { get; init; }

    /// <summary>How long the requests in flight get to finish after SIGTERM or Ctrl+C before the server cuts them off.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public long MaxUploadBytes => MaxUploadMb * 1024L * 1024L;
}
