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
        // ASP.NET starts an Activity and a logging scope for every request as soon as this
        // category is enabled at any level. Below debug it would only log start-up errors,
        // which reach us anyway as the exception of StartAsync.
        if (level > LogLevel.Debug) logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "[HH:mm:ss.fff] ";
        });
    });
}
