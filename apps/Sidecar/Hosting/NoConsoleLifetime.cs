using Microsoft.Extensions.Hosting;

namespace ImageHub.Sidecar.Hosting;

/// <summary>
/// The sidecar runs several Kestrel servers under one process; Program owns Ctrl-C and SIGTERM
/// and stops them all, so no single server may react to the signals on its own.
/// </summary>
internal sealed class NoConsoleLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
