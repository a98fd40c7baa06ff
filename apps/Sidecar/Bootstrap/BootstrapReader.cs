using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ImageHub.Sidecar.Bootstrap;

/// <summary>
/// Reads the supported subset of an Envoy v3 static bootstrap. Every problem is collected with
/// the path of the field, so one run shows all of them; unknown fields are warnings, anything
/// that would make the sidecar behave differently from what the file asks is an error.
/// </summary>
public sealed class BootstrapReader
{
    public const string HttpConnectionManagerType =
        "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager";
    public const string WasmFilterType = "type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm";
    public const string RouterFilterType = "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router";
    public const string StringValueType = "type.googleapis.com/google.protobuf.StringValue";

    private readonly string _baseDirectory;
    private readonly HashSet<string> _clusterNames;

    private BootstrapReader(string baseDirectory, HashSet<string> clusterNames)
    {
        _baseDirectory = baseDirectory;
        _clusterNames = clusterNames;
    }

    public static BootstrapConfig Load(string path)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        return Read(ConfigDocument.Load(fullPath), fullPath);
    }

    /// <param name="sourcePath">the file the document came from; relative filenames resolve against its folder.</param>
    public static BootstrapConfig Read(JsonObject document, string sourcePath)
    {
        var diagnostics = new BootstrapDiagnostics();
        var baseDirectory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(sourcePath))!;
        var root = new ConfigObject(document, "", diagnostics);

        var admin = ReadAdmin(root.Object("admin"));
        var resources = root.Object("static_resources", required: true);
        // "node" only names the proxy for a management server; it changes nothing in a static setup.
        root.Accept("node");
        root.Finish();

        IReadOnlyList<ListenerConfig> listeners = [];
        IReadOnlyList<ClusterConfig> clusters = [];
        if (resources is not null)
        {
            clusters = ClusterReader.ReadAll(resources.Objects("clusters"));
            var reader = new BootstrapReader(baseDirectory, clusters.Select(c => c.Name).ToHashSet());
            listeners = reader.ReadListeners(resources.Objects("listeners"));
            resources.Finish();
        }

        if (diagnostics.Errors.Count > 0) throw new BootstrapException(sourcePath, diagnostics.Errors);
        return new BootstrapConfig(sourcePath, admin, listeners, clusters, diagnostics.Warnings, document);
    }

    private static AdminConfig? ReadAdmin(ConfigObject? admin)
    {
        if (admin is null) return null;
        var address = ReadSocketAddress(admin.Object("address", required: true));
        admin.Finish();
        return address is null ? null : new AdminConfig(address);
    }

    internal static HostAndPort? ReadSocketAddress(ConfigObject? address)
    {
        if (address is null) return null;
        var socket = address.Object("socket_address", required: true);
        address.Finish();
        if (socket is null) return null;
        var host = socket.String("address", required: true);
        var port = socket.Integer("port_value", min: 0, max: 65535);
        if (socket.Has("protocol") && socket.String("protocol") is { } protocol && protocol != "TCP")
            socket.Error("protocol", $"only TCP is supported, got {protocol}");
        var badPort = port is null && socket.Has("port_value");
        socket.Finish();
        return host is null || badPort ? null : new HostAndPort(host, (int)(port ?? 0));
    }

    private IReadOnlyList<ListenerConfig> ReadListeners(IReadOnlyList<ConfigObject> listeners)
    {
        var result = new List<ListenerConfig>();
        foreach (var listener in listeners)
        {
            var name = listener.String("name") ?? $"listener_{result.Count}";
            var address = ReadSocketAddress(listener.Object("address", required: true));
            var chains = listener.Objects("filter_chains", required: true);
            if (chains.Count > 1)
                listener.Error("filter_chains", "only one filter chain per listener is supported");
            var http = chains.Count > 0 ? ReadFilterChain(chains[0]) : null;
            listener.Finish();
            if (address is not null && http is not null) result.Add(new ListenerConfig(name, address, http));
        }
        var duplicate = result.GroupBy(l => l.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null && listeners.Count > 0)
            listeners[0].Diagnostics.Error("static_resources.listeners", $"two listeners are named \"{duplicate.Key}\"");
        return result;
    }

    private HttpConnectionManagerConfig? ReadFilterChain(ConfigObject chain)
    {
        var filters = chain.Objects("filters", required: true);
        chain.Finish();
        if (filters.Count == 0) return null;
        if (filters.Count > 1)
            chain.Error("filters", "only one network filter (envoy.filters.network.http_connection_manager) is supported");

        var filter = filters[0];
        var name = filter.String("name", required: true);
        var typed = filter.Object("typed_config", required: true);
        filter.Finish();
        var type = typed?.String("@type", required: true);
        if (typed is null || type is null) return null;
        if (type != HttpConnectionManagerType)
        {
            filter.Error("typed_config.@type", $"network filter {name} ({type}) cannot run here; only {HttpConnectionManagerType}");
            return null;
        }
        return ReadHttpConnectionManager(typed);
    }

    private HttpConnectionManagerConfig? ReadHttpConnectionManager(ConfigObject hcm)
    {
        var statPrefix = hcm.String("stat_prefix", required: true);
        if (hcm.String("codec_type") is { } codec && codec is not ("AUTO" or "HTTP1"))
            hcm.Error("codec_type", $"only AUTO and HTTP1 are supported, got {codec}");
        var routeConfig = ReadRouteConfiguration(hcm.Object("route_config", required: true));
        if (hcm.Has("rds")) hcm.Error("rds", "dynamic routes (RDS) are not supported; use route_config");
        var httpFilters = HttpFilterReader.ReadAll(hcm, _baseDirectory);
        hcm.Finish();
        if (statPrefix is null || routeConfig is null) return null;
        return new HttpConnectionManagerConfig(statPrefix, routeConfig, httpFilters);
    }

    private RouteConfiguration? ReadRouteConfiguration(ConfigObject? routeConfig)
    {
        if (routeConfig is null) return null;
        var name = routeConfig.String("name") ?? "";
        var hosts = new List<VirtualHostConfig>();
        foreach (var host in routeConfig.Objects("virtual_hosts", required: true))
        {
            var hostName = host.String("name", required: true) ?? "";
            var domains = host.Strings("domains", required: true);
            var routes = host.Objects("routes").Select(ReadRoute).OfType<RouteConfig>().ToList();
            host.Finish();
            hosts.Add(new VirtualHostConfig(hostName, domains, routes));
        }
        routeConfig.Finish();
        return new RouteConfiguration(name, hosts);
    }

    private RouteConfig? ReadRoute(ConfigObject route)
    {
        var name = route.String("name");
        var match = ReadRouteMatch(route.Object("match", required: true));
        var action = ReadRouteAction(route.Object("route"));
        var direct = ReadDirectResponse(route.Object("direct_response"));
        if (route.Has("redirect")) route.Error("redirect", "redirect routes are not supported");
        if (action is null && direct is null && !route.Has("redirect"))
            route.Diagnostics.Error(route.Path, "needs a route or a direct_response action");
        if (action is not null && direct is not null)
            route.Diagnostics.Error(route.Path, "has both route and direct_response; Envoy allows only one action");
        route.Finish();
        return match is null || (action is null && direct is null) ? null : new RouteConfig(name, match, action, direct);
    }

    private static RouteMatchConfig? ReadRouteMatch(ConfigObject? match)
    {
        if (match is null) return null;
        var prefix = match.String("prefix");
        var path = match.String("path");
        string? regex = null;
        if (match.Object("safe_regex") is { } safeRegex)
        {
            regex = safeRegex.String("regex", required: true);
            safeRegex.Accept("google_re2");
            safeRegex.Finish();
            if (regex is not null)
            {
                try { _ = new Regex(regex, RegexOptions.CultureInvariant); }
                catch (ArgumentException e) { match.Error("safe_regex.regex", $"not a valid regular expression: {e.Message}"); }
            }
        }
        var caseSensitive = match.Bool("case_sensitive") ?? true;
        var count = (prefix is null ? 0 : 1) + (path is null ? 0 : 1) + (regex is null ? 0 : 1);
        if (count != 1)
        {
            match.Diagnostics.Error(match.Path, "needs exactly one of prefix, path and safe_regex");
            match.Finish();
            return null;
        }
        match.Finish();
        return new RouteMatchConfig(prefix, path, regex, caseSensitive);
    }

    private RouteActionConfig? ReadRouteAction(ConfigObject? action)
    {
        if (action is null) return null;
        var cluster = action.String("cluster", required: true);
        if (cluster is not null && !_clusterNames.Contains(cluster))
            action.Error("cluster", $"unknown cluster \"{cluster}\" (not in static_resources.clusters)");
        var prefixRewrite = action.String("prefix_rewrite");
        // Envoy's default route timeout is 15 s; "0s" disables it.
        var timeout = action.Duration("timeout") ?? TimeSpan.FromSeconds(15);
        action.Finish();
        return cluster is null ? null : new RouteActionConfig(cluster, prefixRewrite, timeout);
    }

    private static DirectResponseConfig? ReadDirectResponse(ConfigObject? direct)
    {
        if (direct is null) return null;
        var status = direct.Integer("status", required: true, min: 200, max: 599);
        string? body = null;
        if (direct.Object("body") is { } source)
        {
            body = source.String("inline_string");
            if (source.Has("filename")) source.Error("filename", "only inline_string bodies are supported");
            source.Finish();
        }
        direct.Finish();
        return status is null ? null : new DirectResponseConfig((int)status, body);
    }
}
