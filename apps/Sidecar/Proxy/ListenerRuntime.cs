using ImageHub.Sidecar.Bootstrap;
using ImageHub.Sidecar.Filters;
using ImageHub.Sidecar.Routing;
using ImageHub.Sidecar.Stats;

namespace ImageHub.Sidecar.Proxy;

/// <summary>A listener from the bootstrap, ready to serve: its routes, its filter chain and its stats.</summary>
public sealed class ListenerRuntime
{
    private readonly Counter[] _statusClasses;

    public ListenerRuntime(ListenerConfig config, IReadOnlyList<FilterSlot> filters, StatsStore stats)
    {
        Config = config;
        Routes = new RouteTable(config.Http.RouteConfig);
        Filters = filters;
        var prefix = $"http.{config.Http.StatPrefix}.";
        RequestsTotal = stats.Counter(prefix + "downstream_rq_total");
        ActiveRequests = stats.Gauge(prefix + "downstream_rq_active");
        NoRoute = stats.Counter(prefix + "no_route");
        DirectResponses = stats.Counter(prefix + "rq_direct_response");
        _statusClasses = [.. Enumerable.Range(1, 5).Select(c => stats.Counter($"{prefix}downstream_rq_{c}xx"))];
    }

    public ListenerConfig Config { get; }
    public string Name => Config.Name;
    public RouteTable Routes { get; }

    /// <summary>The wasm filters in chain order (the router is the pipeline's own last steps).</summary>
    public IReadOnlyList<FilterSlot> Filters { get; }

    public Counter RequestsTotal { get; }
    public Gauge ActiveRequests { get; }
    public Counter NoRoute { get; }
    public Counter DirectResponses { get; }

    public void CountStatus(int status)
    {
        var cls = status / 100;
        if (cls is >= 1 and <= 5) _statusClasses[cls - 1].Increment();
    }
}
