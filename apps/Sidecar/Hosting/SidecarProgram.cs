using System.Runtime.InteropServices;
using ImageHub.Sidecar.Bootstrap;
using ImageHub.Sidecar.Filters;
using Microsoft.Extensions.Logging;

namespace ImageHub.Sidecar.Hosting;

/// <summary>The process: parse flags, read the bootstrap, load filters, serve until Ctrl-C or SIGTERM.</summary>
public static class SidecarProgram
{
    /// <summary>Exit codes: 0 clean stop, 1 bad bootstrap or filter, 2 bad command line.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var options = SidecarCommandLine.Parse(args, out var error);
        if (options is null)
        {
            if (error is { Length: > 0 }) await Console.Error.WriteLineAsync($"error: {error}\n");
            await (error is { Length: > 0 } ? Console.Error : Console.Out).WriteLineAsync(SidecarCommandLine.Usage);
            return error is { Length: > 0 } ? 2 : 0;
        }

        using var loggerFactory = SidecarLogging.Create(options.LogLevel);
        var logger = loggerFactory.CreateLogger("ImageHub.Sidecar");

        BootstrapConfig bootstrap;
        try { bootstrap = BootstrapReader.Load(options.ConfigPath); }
        catch (BootstrapException e)
        {
            logger.LogCritical("{Message}", e.Message);
            return 1;
        }
        foreach (var warning in bootstrap.Warnings) logger.LogWarning("{Path}", warning);

        SidecarHost host;
        try { host = SidecarHost.Create(bootstrap, options, loggerFactory, WasmHost.LoaderFactory(loggerFactory, options.LogLevel)); }
        catch (FilterLoadException e)
        {
            logger.LogCritical("cannot start: {Message}", e.Message);
            return 1;
        }

        await using (host)
        {
            if (options.Mode == SidecarMode.Validate)
            {
                Console.WriteLine($"configuration '{options.ConfigPath}' OK");
                return 0;
            }

            var stop = new TaskCompletionSource();
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult(); });
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
            try { await host.StartAsync(); }
            catch (IOException e)
            {
                logger.LogCritical("cannot bind: {Message}", e.Message);
                return 1;
            }
            logger.LogInformation("sidecar ready ({Bootstrap}); Ctrl-C stops it", options.ConfigPath);
            await stop.Task;
            logger.LogInformation("stopping");
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await host.StopAsync(deadline.Token);
        }
        return 0;
    }
}
