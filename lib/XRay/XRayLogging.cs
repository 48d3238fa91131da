using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace XRay;

/// <summary>
/// Where the library's warnings and notes go (a cache it could not save, a Kaggle key others can read, a retried
/// download). The library never writes to the console itself: by default nothing is logged, and a host that wants the
/// messages sets <see cref="LoggerFactory"/> once at start-up (the CLI writes them to stderr).
/// </summary>
public static class XRayLogging
{
    private static ILoggerFactory factory = NullLoggerFactory.Instance;

    public static ILoggerFactory LoggerFactory
    {
        get => factory;
        set => factory = value ?? throw new ArgumentNullException(nameof(value), "Use NullLoggerFactory.Instance to log nothing.");
    }

    /// <summary>A logger named after <paramref name="type"/>, from the factory set now (loggers are not cached, so a later factory applies).</summary>
    internal static ILogger For(Type type) => factory.CreateLogger(type);
}
