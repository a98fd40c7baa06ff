using ImageHub.Sidecar.Bootstrap;
using ImageHub.Sidecar.Filters;
using ImageHub.Sidecar.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImageHub.Sidecar.Tests.Support;

/// <summary>A sidecar started in-process from a bootstrap file, with clients for its listener and admin.</summary>
public sealed class RunningSidecar : IAsyncDisposable
{
    private RunningSidecar(SidecarHost host)
    {
        Host = host;
        Client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
        {
            BaseAddress = host.ListenerUrls.Values.First(),
            Timeout = TimeSpan.FromSeconds(30),
        };
        Admin = new HttpClient { BaseAddress = host.AdminUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    public SidecarHost Host { get; }
    public HttpClient Client { get; }
    public HttpClient Admin { get; }

    public static async Task<RunningSidecar> StartAsync(string yaml, IWasmFilterLoader? loader = null, bool hotReload = false, int concurrency = 2, ILoggerFactory? logging = null)
    {
        var path = TestBootstrap.WriteTemp(yaml);
        return await StartFileAsync(path, loader, hotReload, concurrency, logging);
    }

    public static Task<RunningSidecar> StartFileAsync(string path, IWasmFilterLoader? loader = null, bool hotReload = false, int concurrency = 2, ILoggerFactory? logging = null) =>
        StartFileAsync(path, _ => loader ?? new NoWasmHostLoader(), hotReload, concurrency, logging);

    /// <summary>With the real Proxy-Wasm host and engine (streams bound to replicas by processor, as the sidecar does, unless told otherwise).</summary>
    public static Task<RunningSidecar> StartWithHostAsync(string path, bool hotReload = false, int concurrency = 2, ILoggerFactory? logging = null,
        ImageHub.ProxyWasm.ReplicaChoice replicaChoice = ImageHub.ProxyWasm.ReplicaChoice.ByProcessor) =>
        StartFileAsync(path, WasmHost.LoaderFactory(logging ?? NullLoggerFactory.Instance, LogLevel.Information, replicaChoice), hotReload, concurrency, logging);

    public static async Task<RunningSidecar> StartFileAsync(string path, Func<Upstream.ClusterManager, IWasmFilterLoader> loaderFactory, bool hotReload, int concurrency, ILoggerFactory? logging)
    {
        var bootstrap = BootstrapReader.Load(path);
        var options = new SidecarOptions { ConfigPath = path, Concurrency = concurrency, HotReload = hotReload };
        var host = SidecarHost.Create(bootstrap, options, logging ?? NullLoggerFactory.Instance, loaderFactory);
        await host.StartAsync();
        return new RunningSidecar(host);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Admin.Dispose();
        await Host.DisposeAsync();
    }
}
