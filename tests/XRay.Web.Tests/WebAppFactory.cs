using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace XRay.Web.Tests;

/// <summary>
/// The app on WebApplicationFactory's in-memory server, serving the tests' checkpoint with a 1 MB upload limit. The
/// factory wants an entry point's assembly for TEntryPoint: XRay.Web is a library, so it names this test assembly
/// (the test SDK gives it one) and builds the host itself with <see cref="WebApp.CreateHostBuilder"/>.
/// </summary>
public sealed class WebAppFactory : WebApplicationFactory<WebAppFactory>
{
    public const int MaxUploadMb = 1;

    private readonly Lazy<ClassifierPool> pool;

    public WebAppFactory() : this(TrainedCheckpoint.Instance.Checkpoint)
    {
    }

    /// <summary>The app serving another checkpoint (a calibrated copy, a larger model).</summary>
    internal WebAppFactory(string checkpoint)
    {
        Options = new ServeOptions { Checkpoint = checkpoint, MaxUploadMb = MaxUploadMb, Replicas = 2, Port = 0 };
        pool = new Lazy<ClassifierPool>(() => ClassifierPool.Load(Options));
    }

    public ServeOptions Options { get; }

    /// <summary>Everything the app logged (in place of the console).</summary>
    public CapturedLogs Logs { get; } = new();

    public ClassifierPool Pool => pool.Value;

    protected override IHostBuilder CreateHostBuilder() => WebApp.CreateHostBuilder(Options, Pool);

    // The factory guesses a content root from the solution; the app serves nothing from disk, so any folder that exists will do.
    protected override IHost CreateHost(IHostBuilder builder) =>
        base.CreateHost(builder.UseContentRoot(AppContext.BaseDirectory).ConfigureLogging(l => l.ClearProviders().AddProvider(Logs)));

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && pool.IsValueCreated) pool.Value.Dispose();
    }
}
