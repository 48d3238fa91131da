using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace XRay.Tests;

/// <summary>
/// Every message the library logs during the test run. <see cref="XRayLogging.LoggerFactory"/> is process-wide and
/// tests run in parallel, so one capturing factory is installed for all of them and each test looks for its own
/// messages (by a path or text only it uses) instead of swapping the factory.
/// </summary>
internal sealed class CapturedLogs : ILoggerFactory, ILoggerProvider
{
    public sealed record Entry(string Category, LogLevel Level, string Message, Exception? Exception);

    private static readonly Lazy<CapturedLogs> Instance = new(() =>
    {
        var logs = new CapturedLogs();
        XRayLogging.LoggerFactory = logs;
        return logs;
    });

    private readonly ConcurrentQueue<Entry> entries = new();

    /// <summary>The shared capture, installed as the library's logger factory on first use.</summary>
    public static CapturedLogs Installed => Instance.Value;

    /// <summary>The entries whose message contains <paramref name="text"/>.</summary>
    public IReadOnlyList<Entry> Containing(string text) => entries.Where(e => e.Message.Contains(text, StringComparison.Ordinal)).ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("The capture is its own provider.");

    public void Dispose() { }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.entries.Enqueue(new Entry(category, logLevel, formatter(state, exception), exception));
    }
}
