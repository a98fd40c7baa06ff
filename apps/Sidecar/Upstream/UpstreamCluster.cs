using System.Diagnostics;
using System.Net;
using ImageHub.Sidecar.Bootstrap;
using ImageHub.Sidecar.Stats;

namespace ImageHub.Sidecar.Upstream;

/// <summary>
/// A cluster's endpoints and its connection pool. Endpoints are taken round robin; DNS clusters
/// keep the host name in the URI, so the pool resolves it when it opens a connection.
/// </summary>
public sealed class UpstreamCluster : IDisposable
{
    private readonly HttpMessageInvoker _invoker;
    private int _next = -1;

    public UpstreamCluster(ClusterConfig config, StatsStore stats)
    {
        Config = config;
        _endpoints = [.. config.Endpoints.Select(e => new UpstreamEndpoint(e))];
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = config.ConnectTimeout == TimeSpan.Zero ? Timeout.InfiniteTimeSpan : config.ConnectTimeout,
            // Recycle pooled connections now and then so DNS changes and upstream restarts are noticed.
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            // The proxy forwards the caller's trace headers itself; the pool must not add its own.
            ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator(),
        };
        _invoker = new HttpMessageInvoker(handler, disposeHandler: true);
        var prefix = $"cluster.{config.Name}.";
        RequestsTotal = stats.Counter(prefix + "upstream_rq_total");
        ActiveRequests = stats.Gauge(prefix + "upstream_rq_active");
        ConnectFailures = stats.Counter(prefix + "upstream_cx_connect_fail");
        Timeouts = stats.Counter(prefix + "upstream_rq_timeout");
        NoHealthyUpstream = stats.Counter(prefix + "upstream_cx_none_healthy");
        _statusClasses = [.. Enumerable.Range(1, 5).Select(c => stats.Counter($"{prefix}upstream_rq_{c}xx"))];
        stats.Gauge(prefix + "membership_total").Set(config.Endpoints.Count);
    }

    private readonly Counter[] _statusClasses;
    private readonly UpstreamEndpoint[] _endpoints;

    public ClusterConfig Config { get; }
    public string Name => Config.Name;
    public HttpMessageInvoker Invoker => _invoker;
    public Counter RequestsTotal { get; }
    public Gauge ActiveRequests { get; }
    public Counter ConnectFailures { get; }
    public Counter Timeouts { get; }
    public Counter NoHealthyUpstream { get; }

    public void CountStatus(int status)
    {
        var cls = status / 100;
        if (cls is >= 1 and <= 5) _statusClasses[cls - 1].Increment();
    }

    public UpstreamEndpoint? PickEndpoint()
    {
        var endpoints = _endpoints;
        if (endpoints.Length == 0) return null;
        var index = (uint)Interlocked.Increment(ref _next) % (uint)endpoints.Length;
        return endpoints[(int)index];
    }

    public void Dispose() => _invoker.Dispose();
}

/// <summary>One endpoint of a cluster, with the request-URI prefix the forwarder needs (made once, not per request).</summary>
public sealed class UpstreamEndpoint(HostAndPort address)
{
    private readonly string _display = address.ToString();

    public HostAndPort Address { get; } = address;

    /// <summary><c>http://host:port</c>; DNS names stay names, resolved by the pool when it connects.</summary>
    public string Origin { get; } = "http://" + address;

    public override string ToString() => _display;
}
