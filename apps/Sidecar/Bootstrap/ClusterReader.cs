namespace ImageHub.Sidecar.Bootstrap;

/// <summary>Reads static_resources.clusters: name, discovery type, connect timeout, endpoints.</summary>
internal static class ClusterReader
{
    public static IReadOnlyList<ClusterConfig> ReadAll(IReadOnlyList<ConfigObject> clusters)
    {
        var result = new List<ClusterConfig>();
        var names = new HashSet<string>();
        foreach (var cluster in clusters)
        {
            var config = Read(cluster);
            if (config is null) continue;
            if (!names.Add(config.Name)) cluster.Error("name", $"two clusters are named \"{config.Name}\"");
            else result.Add(config);
        }
        return result;
    }

    private static ClusterConfig? Read(ConfigObject cluster)
    {
        var name = cluster.String("name", required: true);
        var type = ReadType(cluster);
        // Envoy's default connect timeout is 5 s.
        var connectTimeout = cluster.Duration("connect_timeout") ?? TimeSpan.FromSeconds(5);
        if (cluster.String("lb_policy") is { } policy && policy != "ROUND_ROBIN")
            cluster.Diagnostics.Warning(cluster.PathOf("lb_policy"), $"{policy} not supported, ROUND_ROBIN is used");
        var endpoints = ReadEndpoints(cluster, name, type);
        cluster.Finish();
        return name is null || type is null ? null : new ClusterConfig(name, type.Value, connectTimeout, endpoints);
    }

    private static ClusterDiscoveryType? ReadType(ConfigObject cluster)
    {
        var type = cluster.String("type") ?? "STATIC";
        switch (type)
        {
            case "STATIC": return ClusterDiscoveryType.Static;
            case "STRICT_DNS": return ClusterDiscoveryType.StrictDns;
            case "LOGICAL_DNS": return ClusterDiscoveryType.LogicalDns;
            default:
                cluster.Error("type", $"{type} is not supported (STATIC, STRICT_DNS or LOGICAL_DNS)");
                return null;
        }
    }

    private static IReadOnlyList<HostAndPort> ReadEndpoints(ConfigObject cluster, string? name, ClusterDiscoveryType? type)
    {
        var assignment = cluster.Object("load_assignment", required: true);
        if (assignment is null) return [];
        if (assignment.String("cluster_name") is { } assigned && name is not null && assigned != name)
            assignment.Error("cluster_name", $"must equal the cluster's name \"{name}\"");
        var endpoints = new List<HostAndPort>();
        foreach (var locality in assignment.Objects("endpoints", required: true))
        {
            foreach (var lbEndpoint in locality.Objects("lb_endpoints", required: true))
            {
                var endpoint = lbEndpoint.Object("endpoint", required: true);
                lbEndpoint.Finish();
                if (endpoint is null) continue;
                var address = BootstrapReader.ReadSocketAddress(endpoint.Object("address", required: true));
                endpoint.Finish();
                if (address is null) continue;
                if (address.Port == 0) endpoint.Error("address.socket_address.port_value", "an upstream endpoint needs a port");
                else if (type == ClusterDiscoveryType.Static && !address.IsIp)
                    endpoint.Error("address.socket_address.address", $"a STATIC cluster needs IP addresses, got \"{address.Address}\" (use STRICT_DNS for names)");
                else endpoints.Add(address);
            }
            locality.Finish();
        }
        if (type == ClusterDiscoveryType.LogicalDns && endpoints.Count > 1)
            assignment.Error("endpoints", "a LOGICAL_DNS cluster has exactly one endpoint");
        assignment.Finish();
        return endpoints;
    }
}
