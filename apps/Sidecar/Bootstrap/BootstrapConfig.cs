using System.Net;
using System.Text.Json.Nodes;

namespace ImageHub.Sidecar.Bootstrap;

/// <summary>The part of an Envoy v3 static bootstrap that the sidecar runs.</summary>
public sealed record BootstrapConfig(
    string SourcePath,
    AdminConfig? Admin,
    IReadOnlyList<ListenerConfig> Listeners,
    IReadOnlyList<ClusterConfig> Clusters,
    IReadOnlyList<string> Warnings,
    JsonObject Document)
{
    public ClusterConfig? FindCluster(string name) => Clusters.FirstOrDefault(c => c.Name == name);
}

public sealed record HostAndPort(string Address, int Port)
{
    public override string ToString() => Address.Contains(':') ? $"[{Address}]:{Port}" : $"{Address}:{Port}";

    public bool IsIp => IPAddress.TryParse(Address, out _);
}

public sealed record AdminConfig(HostAndPort Address);

public sealed record ListenerConfig(string Name, HostAndPort Address, HttpConnectionManagerConfig Http);

public sealed record HttpConnectionManagerConfig(
    string StatPrefix,
    RouteConfiguration RouteConfig,
    IReadOnlyList<HttpFilterConfig> HttpFilters);

public sealed record RouteConfiguration(string Name, IReadOnlyList<VirtualHostConfig> VirtualHosts);

public sealed record VirtualHostConfig(string Name, IReadOnlyList<string> Domains, IReadOnlyList<RouteConfig> Routes);

public sealed record RouteConfig(string? Name, RouteMatchConfig Match, RouteActionConfig? Route, DirectResponseConfig? DirectResponse);

/// <summary>Exactly one of Prefix, Path and SafeRegex is set.</summary>
public sealed record RouteMatchConfig(string? Prefix, string? Path, string? SafeRegex, bool CaseSensitive);

/// <summary>Timeout zero means "no timeout", as in Envoy.</summary>
public sealed record RouteActionConfig(string Cluster, string? PrefixRewrite, TimeSpan Timeout);

public sealed record DirectResponseConfig(int Status, string? Body);

public abstract record HttpFilterConfig(string Name);

public sealed record RouterFilterConfig(string Name) : HttpFilterConfig(Name);

/// <summary>
/// An envoy.filters.http.wasm entry. <see cref="CodePath"/> is already resolved to a full path
/// (relative names resolve against the bootstrap file's folder).
/// </summary>
public sealed record WasmFilterConfig(
    string Name,
    string PluginName,
    string RootId,
    string Configuration,
    string VmId,
    string Runtime,
    string CodePath,
    bool FailOpen) : HttpFilterConfig(Name);

public enum ClusterDiscoveryType { Static, StrictDns, LogicalDns }

public sealed record ClusterConfig(
    string Name,
    ClusterDiscoveryType Type,
    TimeSpan ConnectTimeout,
    IReadOnlyList<HostAndPort> Endpoints);
