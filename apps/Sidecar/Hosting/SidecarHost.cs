using ImageHub.Sidecar.Bootstrap;
using ImageHub.Sidecar.Filters;
using ImageHub.Sidecar.Proxy;
using ImageHub.Sidecar.Proxy.Steps;
using ImageHub.Sidecar.Stats;
using ImageHub.Sidecar.Upstream;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImageHub.Sidecar.Hosting;

/// <summary>
/// A running sidecar: one Kestrel server per listener, one for the admin API, and the state they
/// share (clusters, filters, stats). Tests start one in-process; Program starts one from the command line.
/// </summary>
public sealed class SidecarHost : IAsyncDisposable
{
    private readonly List<(ListenerRuntime Listener, WebApplication App)> _listenerApps = [];
    private readonly ILoggerFactory _loggerFactory;
    private WebApplication? _adminApp;
    private FilterFileWatcher? _watcher;

    private readonly IWasmFilterLoader _loader;

    private SidecarHost(BootstrapConfig bootstrap, SidecarOptions options, ILoggerFactory loggerFactory, Func<ClusterManager, IWasmFilterLoader> loaderFactory)
    {
        Bootstrap = bootstrap;
        Options = options;
        _loggerFactory = loggerFactory;
        Stats = new StatsStore();
        Clusters = new ClusterManager(bootstrap.Clusters, Stats);
        var loader = _loader = loaderFactory(Clusters);
        if (loader is IStatsSource loaderStats) Stats.AddSource(loaderStats);
        if (loader is IPrometheusSource prometheus) Stats.AddPrometheusSource(prometheus);
        var wasmFilters = bootstrap.Listeners.SelectMany(l => l.Http.HttpFilters).OfType<WasmFilterConfig>()
            .DistinctBy(f => f.PluginName).ToList();
        Filters = new FilterRegistry(wasmFilters, loader, options.Concurrency, loggerFactory.CreateLogger<FilterRegistry>());
        Stats.AddSource(Filters);
        Listeners = bootstrap.Listeners.Select(l => new ListenerRuntime(l,
            l.Http.HttpFilters.OfType<WasmFilterConfig>().Select(f => Filters.Find(f.PluginName)!).ToList(), Stats)).ToList();
        Chains = new FilterChainEditor(Filters, Listeners, loggerFactory.CreateLogger<FilterChainEditor>());
        Pipeline = new ProxyPipeline([
            new ResponseWriterStep(loggerFactory.CreateLogger<ResponseWriterStep>()),
            new DownstreamRequestStep(),
            new RequestIdStep(),
            new ForwardedHeadersStep(),
            new FilterChainStep(loggerFactory.CreateLogger<FilterChainStep>()),
            new RouteStep(Clusters),
            new UpstreamStep(),
        ]);
    }

    public BootstrapConfig Bootstrap { get; }
    public SidecarOptions Options { get; }
    public StatsStore Stats { get; }
    public ClusterManager Clusters { get; }
    public FilterRegistry Filters { get; }
    public IReadOnlyList<ListenerRuntime> Listeners { get; }

    /// <summary>Adds filters to the listeners' chains and removes them while the sidecar runs (admin API).</summary>
    public FilterChainEditor Chains { get; }
    public ProxyPipeline Pipeline { get; }
    public DateTimeOffset StartedAt { get; private set; }

    /// <summary>Bound address of each listener by name (real ports, also when the bootstrap says 0).</summary>
    public IReadOnlyDictionary<string, Uri> ListenerUrls { get; private set; } = new Dictionary<string, Uri>();
    public Uri? AdminUrl { get; private set; }

    /// <summary>
    /// Builds the sidecar and loads every wasm filter; a filter that cannot load throws <see cref="FilterLoadException"/>.
    /// The loader is made from the clusters, because filter callouts go to them.
    /// </summary>
    public static SidecarHost Create(BootstrapConfig bootstrap, SidecarOptions options, ILoggerFactory loggerFactory, Func<ClusterManager, IWasmFilterLoader> loaderFactory)
    {
        var host = new SidecarHost(bootstrap, options, loggerFactory, loaderFactory);
        if (host.Filters.Slots.Count > 0) EnsureThreadHeadroom(options.Concurrency);
        try { host.Filters.LoadAll(); }
        catch
        {
            host.ReleaseState();
            throw;
        }
        return host;
    }

    /// <summary>
    /// A call into a filter replica holds that replica's lock, and a callout answer or another
    /// stream waiting for the replica blocks a pool thread meanwhile. With the default minimum
    /// (one thread per core) a busy replica starves everything else — callouts then time out
    /// while their answers wait for a thread — so the pool starts with room to spare.
    /// </summary>
    private static void EnsureThreadHeadroom(int replicas)
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        var wanted = Math.Max(64, replicas * 16);
        if (workers < wanted) ThreadPool.SetMinThreads(wanted, Math.Max(io, wanted));
    }

    private void ReleaseState()
    {
        Filters.Dispose();
        (_loader as IDisposable)?.Dispose();
        Clusters.Dispose();
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var logger = _loggerFactory.CreateLogger<SidecarHost>();
        var urls = new Dictionary<string, Uri>();
        foreach (var listener in Listeners)
        {
            var app = SidecarExtensions.BuildListenerApp(listener, Pipeline, _loggerFactory);
            await app.StartAsync(cancellationToken);
            _listenerApps.Add((listener, app));
            urls[listener.Name] = BoundUrl(app);
            logger.LogInformation("listener {Name} on {Url} ({Filters})", listener.Name, urls[listener.Name],
                listener.Filters.Count == 0 ? "no wasm filters" : "filters: " + string.Join(" -> ", listener.Filters.Select(f => f.Name)));
        }
        ListenerUrls = urls;

        if (Bootstrap.Admin is { } admin)
        {
            _adminApp = SidecarExtensions.BuildAdminApp(this, admin.Address, _loggerFactory);
            await _adminApp.StartAsync(cancellationToken);
            AdminUrl = BoundUrl(_adminApp);
            logger.LogInformation("admin on {Url}", AdminUrl);
            if (Options.AdminAddressPath is { } path)
                await File.WriteAllTextAsync(path, $"{AdminUrl.Host}:{AdminUrl.Port}", cancellationToken);
        }

        if (Options.HotReload && Filters.Slots.Count > 0)
            _watcher = new FilterFileWatcher(Filters, _loggerFactory.CreateLogger<FilterFileWatcher>());
        StartedAt = DateTimeOffset.UtcNow;
    }

    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        _watcher?.Dispose();
        _watcher = null;
        if (_adminApp is not null) await _adminApp.StopAsync(cancellationToken);
        foreach (var (_, app) in _listenerApps) await app.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _watcher?.Dispose();
        if (_adminApp is not null) await _adminApp.DisposeAsync();
        foreach (var (_, app) in _listenerApps) await app.DisposeAsync();
        _listenerApps.Clear();
        ReleaseState();
    }

    private static Uri BoundUrl(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        // Kestrel reports 0.0.0.0 / [::] for "any"; loopback is the address a local client can use.
        var uri = new Uri(address.Replace("://0.0.0.0:", "://127.0.0.1:").Replace("://[::]:", "://[::1]:"));
        return uri;
    }
}
