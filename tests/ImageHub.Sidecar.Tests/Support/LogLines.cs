using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ImageHub.Sidecar.Tests.Support;

/// <summary>A logger factory that keeps every formatted line, to read what a filter logged inside the sidecar.</summary>
public sealed class LogLines : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public ILoggerFactory Factory => LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Information).AddProvider(this));

    public IReadOnlyList<string> Lines => _lines.ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(_lines);

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(formatter(state, exception));
    }
}
