using Microsoft.Extensions.Logging;

namespace XRay.Cli;

/// <summary>
/// The library's log as a terminal user reads it: one line per message on standard error, "warning: ..." or
/// "error: ..." (notes plain), without categories or stack traces; debug and trace messages are left out.
/// </summary>
public sealed class StderrLogger(TextWriter error) : ILoggerFactory, ILoggerProvider, ILogger
{
    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("StderrLogger writes only to standard error.");

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information && logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel)) return;
        var prefix = logLevel switch
        {
            LogLevel.Warning => "warning: ",
            LogLevel.Error or LogLevel.Critical => "error: ",
            _ => "",
        };
        lock (error) error.WriteLine(prefix + formatter(state, exception));
    }

    public void Dispose() => error.Flush();
}
