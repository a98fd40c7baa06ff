using YamlDotNet.RepresentationModel;

namespace ImageHub.Mesh.Tests.Support;

/// <summary>
/// A copy of the sidecar's bootstrap with one wasm filter's <c>config</c> changed through the
/// YAML tree, so bad-input tests do not depend on how the file happens to be formatted.
/// </summary>
public static class BootstrapEdit
{
    public static string EditPlugin(string plugin, Action<YamlMappingNode> edit)
    {
        var yaml = new YamlStream();
        using (var reader = File.OpenText(Repo.Layout.ImageHubSidecarBootstrap)) yaml.Load(reader);
        var config = WasmConfigs((YamlMappingNode)yaml.Documents[0].RootNode)
            .Single(c => c.Children.TryGetValue(new YamlScalarNode("name"), out var name) && ((YamlScalarNode)name).Value == plugin);
        edit(config);
        using var writer = new StringWriter();
        yaml.Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    public static YamlMappingNode Map(this YamlMappingNode node, string key) => (YamlMappingNode)node.Children[new YamlScalarNode(key)];

    public static void Set(this YamlMappingNode node, string key, YamlNode value) => node.Children[new YamlScalarNode(key)] = value;

    private static IEnumerable<YamlMappingNode> WasmConfigs(YamlMappingNode root) =>
        from listener in Items(root.Map("static_resources"), "listeners")
        from chain in Items(listener, "filter_chains")
        from network in Items(chain, "filters")
        from http in Items(network.Map("typed_config"), "http_filters")
        let typed = http.Map("typed_config")
        where typed.Children.ContainsKey(new YamlScalarNode("config"))
        select typed.Map("config");

    private static IEnumerable<YamlMappingNode> Items(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var list) ? ((YamlSequenceNode)list).Children.Cast<YamlMappingNode>() : [];
}
