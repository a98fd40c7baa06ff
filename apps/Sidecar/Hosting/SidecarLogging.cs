using Microsoft.Extensions.Logging;

namespace ImageHub.Sidecar.Hosting;

/// <summary>One console logger for the whole process, at the level --log-level asks for.</summary>
public static class SidecarLogging
{
    public static ILoggerFactory Create(LogLevel level) => LoggerFactory.Create(logging =>
    {
        logging.SetMinimumLevel(level);
        // ASP.NET's own start-up chatter repeats once per Kestrel server; keep it for debugging only.
        logging.AddFilter("Microsoft", level <= LogLevel.Debug ? level : LogLevel.Warning);
        logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "[HH:mm:ss.fff] ";
        });
    });
}
