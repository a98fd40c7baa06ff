using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace ImageHub.Deployment;

/// <summary>
/// Turns the committed bootstrap (<c>infra/envoy/imagehub-sidecar.yaml</c>, valid for a real
/// Envoy) into the one a local deployment runs: its own ports, absolute filter paths (the
/// rendered file lives elsewhere) and the deployment's signing key in the rate-limit filter's
/// configuration. Everything else is kept as written, so the local sidecar runs what Envoy would.
/// </summary>
public static class SidecarBootstrapRenderer
{
    public sealed record Ports(int Listener, int Admin, int ImageHub, int Quota);

    public static string Render(string bootstrapPath, Ports ports, string signingKey, string listenAddress = "127.0.0.1")
    {
        var yaml = new YamlStream();
        using (var reader = File.OpenText(bootstrapPath)) yaml.Load(reader);
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var folder = Path.GetDirectoryName(Path.GetFullPath(bootstrapPath))!;

        SetSocket(Child(Child(root, "admin"), "address"), "127.0.0.1", ports.Admin);
        var resources = Child(root, "static_resources");
        foreach (var listener in Sequence(resources, "listeners"))
        {
            SetSocket(Child(listener, "address"), listenAddress, ports.Listener);
            foreach (var wasm in WasmFilterConfigs(listener)) Rewrite(wasm, folder, signingKey);
        }
        foreach (var cluster in Sequence(resources, "clusters"))
        {
            var port = Scalar(cluster, "name") switch
            {
                "imagehub" => ports.ImageHub,
                "quota" => ports.Quota,
                var other => throw new InvalidOperationException($"{bootstrapPath}: cluster '{other}' has no local port to point at"),
            };
            foreach (var endpoints in Sequence(Child(cluster, "load_assignment"), "endpoints"))
            foreach (var lbEndpoint in Sequence(endpoints, "lb_endpoints"))
                SetSocket(Child(Child(lbEndpoint, "endpoint"), "address"), "127.0.0.1", port);
        }

        using var writer = new StringWriter();
        yaml.Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    /// <summary>The <c>config</c> node of every envoy.filters.http.wasm filter of a listener.</summary>
    private static IEnumerable<YamlMappingNode> WasmFilterConfigs(YamlMappingNode listener) =>
        from chain in Sequence(listener, "filter_chains")
        from network in Sequence(chain, "filters")
        from http in Sequence(Child(network, "typed_config"), "http_filters")
        where Scalar(http, "name") == "envoy.filters.http.wasm"
        select Child(Child(http, "typed_config"), "config");

    private static void Rewrite(YamlMappingNode config, string folder, string signingKey)
    {
        var local = Child(Child(Child(config, "vm_config"), "code"), "local");
        local.Children[new YamlScalarNode("filename")] =
            new YamlScalarNode(Path.GetFullPath(Scalar(local, "filename"), folder));

        var configuration = Child(config, "configuration");
        var json = JsonNode.Parse(Scalar(configuration, "value"))!.AsObject();
        if (json.ContainsKey("signingKey"))
        {
            json["signingKey"] = signingKey;
            configuration.Children[new YamlScalarNode("value")] = new YamlScalarNode(json.ToJsonString());
        }
    }

    private static void SetSocket(YamlMappingNode address, string host, int port)
    {
        var socket = Child(address, "socket_address");
        socket.Children[new YamlScalarNode("address")] = new YamlScalarNode(host);
        socket.Children[new YamlScalarNode("port_value")] = new YamlScalarNode(port.ToString());
    }

    private static YamlMappingNode Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlMappingNode mapping
            ? mapping
            : throw new InvalidOperationException($"sidecar bootstrap: expected a mapping at '{key}'");

    private static IEnumerable<YamlMappingNode> Sequence(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlSequenceNode sequence
            ? sequence.Children.OfType<YamlMappingNode>()
            : [];

    private static string Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlScalarNode { Value: { } value }
            ? value
            : throw new InvalidOperationException($"sidecar bootstrap: expected a value at '{key}'");
}
