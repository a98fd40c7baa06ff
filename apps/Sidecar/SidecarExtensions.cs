using System.Net;
using ImageHub.Sidecar.Admin.Apis;
using ImageHub.Sidecar.Bootstrap;
using ImageHub.Sidecar.Hosting;
using ImageHub.Sidecar.Proxy;
using Microsoft.Extensions.Hosting;

namespace ImageHub.Sidecar;

/// <summary>Composition: the Kestrel servers for listeners and for the admin API.</summary>
public static class SidecarExtensions
{
    public static WebApplication BuildListenerApp(ListenerRuntime listener, ProxyPipeline pipeline, ILoggerFactory loggerFactory)
    {
        var app = NewApp(listener.Config.Address, loggerFactory, kestrel =>
        {
            // A proxy passes bodies of any size through; it only limits what it buffers itself.
            kestrel.Limits.MaxRequestBodySize = null;
        });
        app.Run(http => pipeline.InvokeAsync(new ProxyContext(http, listener)).AsTask());
        return app;
    }

    public static WebApplication BuildAdminApp(SidecarHost sidecar, HostAndPort address, ILoggerFactory loggerFactory)
    {
        var app = NewApp(address, loggerFactory, kestrel => kestrel.Limits.MaxRequestBodySize = 64 * 1024 * 1024);
        app.MapServerApi(sidecar);
        app.MapFiltersApi(sidecar);
        return app;
    }

    private static WebApplication NewApp(HostAndPort address, ILoggerFactory loggerFactory, Action<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions> configure)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton<IHostLifetime, NoConsoleLifetime>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(ResolveListenAddress(address.Address), address.Port);
            configure(kestrel);
        });
        return builder.Build();
    }

    private static IPAddress ResolveListenAddress(string address)
    {
        if (IPAddress.TryParse(address, out var ip)) return ip;
        if (address.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return IPAddress.Loopback;
        return Dns.GetHostAddresses(address).First();
    }
}
