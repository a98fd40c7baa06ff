using ImageHub.Sidecar.Bootstrap;
using ImageHub.Sidecar.Filters;
using ImageHub.Sidecar.Routing;
using ImageHub.Sidecar.Stats;

namespace ImageHub.Sidecar.Proxy;

/// <summary>A listener from the bootstrap, ready to serve: its routes, its filter chain and its stats.</summary>
public sealed class ListenerRuntime
{
    private readonly Counter[] _statusClasses;
    private IReadOnlyList<FilterSlot> _filters;

    public ListenerRuntime(ListenerConfig config, IReadOnlyList<FilterSlot> filters, StatsStore stats)
    {
        Config = config;
        Routes = new RouteTable(config.Http.RouteConfig);
        _filters = filters;
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

    /// <summary>
    /// The wasm filters in chain order (the router is the pipeline's own last steps). The admin
    /// API replaces the whole list to add or remove a filter, so a request that reads it once
    /// runs one consistent chain while new requests get the new one.
    /// </summary>
    public IReadOnlyList<FilterSlot> Filters => Volatile.Read(ref _filters);

    /// <summary>Puts a new chain in place for requests that start from now on.</summary>
    public void ReplaceFilters(IReadOnlyList<FilterSlot> filters) => Volatile.Write(ref _filters, filters);

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
