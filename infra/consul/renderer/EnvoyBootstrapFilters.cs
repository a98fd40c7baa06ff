using YamlDotNet.RepresentationModel;

namespace ImageHub.Mesh;

/// <summary>
/// Finds the Proxy-Wasm HTTP filters of an Envoy v3 static bootstrap (YAML), in chain order.
/// Reads only what the Consul entry needs; the local sidecar's own parser judges the rest.
/// </summary>
public static class EnvoyBootstrapFilters
{
    public const string HttpConnectionManagerType =
        "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager";
    public const string WasmFilterType = "type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm";
    public const string StringValueType = "type.googleapis.com/google.protobuf.StringValue";
    private const string RuntimePrefix = "envoy.wasm.runtime.";

    public static IReadOnlyList<WasmFilterSpec> Read(string bootstrapPath, RepositoryLayout layout)
    {
        if (!File.Exists(bootstrapPath)) throw new MeshConfigException($"{layout.Relative(bootstrapPath)} does not exist");
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(bootstrapPath);
            stream.Load(reader);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new MeshConfigException($"{layout.Relative(bootstrapPath)} is not valid YAML: {e.Message}");
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new MeshConfigException($"{layout.Relative(bootstrapPath)} must hold one YAML mapping");

        var baseDirectory = Path.GetDirectoryName(bootstrapPath)!;
        var found = new List<WasmFilterSpec>();
        var listeners = Sequence(Mapping(root, "static_resources"), "listeners");
        for (var l = 0; l < listeners.Count; l++)
        {
            var chains = Sequence(listeners[l], "filter_chains");
            for (var c = 0; c < chains.Count; c++)
            {
                var networkFilters = Sequence(chains[c], "filters");
                for (var n = 0; n < networkFilters.Count; n++)
                {
                    var manager = Mapping(networkFilters[n], "typed_config");
                    if (Text(manager, "@type") != HttpConnectionManagerType) continue;
                    var httpFilters = Sequence(manager, "http_filters");
                    for (var h = 0; h < httpFilters.Count; h++)
                    {
                        var typed = Mapping(httpFilters[h], "typed_config");
                        if (Text(typed, "@type") != WasmFilterType) continue;
                        var where = $"static_resources.listeners[{l}].filter_chains[{c}].filters[{n}].typed_config.http_filters[{h}]";
                        Add(found, ReadWasm(Mapping(typed, "config"), where, baseDirectory, layout));
                    }
                }
            }
        }
        if (found.Count == 0) throw new MeshConfigException($"{layout.Relative(bootstrapPath)} has no envoy.filters.http.wasm filter");
        return found;
    }

    /// <summary>A filter repeated on several listeners must be configured the same way: Consul has one list per service.</summary>
    private static void Add(List<WasmFilterSpec> found, WasmFilterSpec spec)
    {
        var same = found.FirstOrDefault(f => f.PluginName == spec.PluginName);
        if (same is null) found.Add(spec);
        else if (same != spec)
            throw new MeshConfigException($"wasm plugin \"{spec.PluginName}\" appears twice with different settings; Consul can carry only one");
    }

    private static WasmFilterSpec ReadWasm(YamlMappingNode? config, string where, string baseDirectory, RepositoryLayout layout)
    {
        if (config is null) throw new MeshConfigException($"{where}: missing typed_config.config");
        var name = Text(config, "name") ?? throw new MeshConfigException($"{where}: missing config.name");
        var vm = Mapping(config, "vm_config") ?? throw new MeshConfigException($"{where}: missing config.vm_config");
        var filename = Text(Mapping(Mapping(vm, "code"), "local"), "filename")
            ?? throw new MeshConfigException($"{where}: vm_config.code.local.filename is the only code source the mesh supports");
        var runtime = Text(vm, "runtime") ?? throw new MeshConfigException($"{where}: missing vm_config.runtime");
        if (!runtime.StartsWith(RuntimePrefix, StringComparison.Ordinal))
            throw new MeshConfigException($"{where}: runtime \"{runtime}\" is not an envoy.wasm.runtime.* name");

        var configuration = Mapping(config, "configuration");
        if (configuration is not null && Text(configuration, "@type") != StringValueType)
            throw new MeshConfigException($"{where}: configuration must be a {StringValueType}: Consul passes the plugin a string");

        var failurePolicy = Text(config, "failure_policy");
        var failOpen = Text(config, "fail_open") == "true" || failurePolicy == "FAIL_OPEN";
        var codePath = layout.Relative(Path.GetFullPath(Path.Combine(baseDirectory, filename)));
        return new WasmFilterSpec(
            PluginName: name,
            RootId: Text(config, "root_id") ?? "",
            VmId: Text(vm, "vm_id") ?? "",
            Runtime: runtime[RuntimePrefix.Length..],
            CodePath: codePath,
            Configuration: configuration is null ? "" : Text(configuration, "value") ?? "",
            FailOpen: failOpen);
    }

    private static YamlMappingNode? Mapping(YamlNode? node, string key) =>
        Child(node, key) as YamlMappingNode;

    private static IReadOnlyList<YamlNode> Sequence(YamlNode? node, string key) =>
        Child(node, key) is YamlSequenceNode sequence ? sequence.Children.ToList() : [];

    private static string? Text(YamlNode? node, string key) => Text(Child(node, key));

    private static string? Text(YamlNode? node) => (node as YamlScalarNode)?.Value;

    private static YamlNode? Child(YamlNode? node, string key) =>
        node is YamlMappingNode mapping && mapping.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;
}
