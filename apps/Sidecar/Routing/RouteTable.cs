using ImageHub.Sidecar.Bootstrap;

namespace ImageHub.Sidecar.Routing;

/// <summary>A listener's route_config: virtual host by authority, then the first route that matches.</summary>
public sealed class RouteTable
{
    private readonly VirtualHostSelector<(VirtualHostConfig Config, CompiledRoute[] Routes)> _hosts;

    public RouteTable(RouteConfiguration config)
    {
        Config = config;
        _hosts = new(config.VirtualHosts.Select(h => (h, (h, h.Routes.Select(r => new CompiledRoute(r)).ToArray()))));
    }

    public RouteConfiguration Config { get; }

    public CompiledRoute? Select(string authority, string pathAndQuery) =>
        Select(authority, pathAndQuery, out _);

    public CompiledRoute? Select(string authority, string pathAndQuery, out VirtualHostConfig? virtualHost)
    {
        virtualHost = null;
        if (!_hosts.TrySelect(authority, out var host)) return null;
        virtualHost = host.Config;
        foreach (var route in host.Routes)
            if (route.Matches(pathAndQuery)) return route;
        return null;
    }
}
