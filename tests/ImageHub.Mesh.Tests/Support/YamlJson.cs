using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace ImageHub.Mesh.Tests.Support;

/// <summary>
/// Loads YAML (compose files, Envoy bootstraps) as JSON nodes so tests can navigate it the
/// same way as the Consul JSON. Scalars stay strings: YAML's typing is not the question here.
/// Anchors and merge keys are resolved by YamlDotNet.
/// </summary>
public static class YamlJson
{
    public static JsonObject LoadFile(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path)) stream.Load(reader);
        if (stream.Documents.Count != 1) throw new InvalidDataException($"{path}: expected one YAML document");
        return Convert(stream.Documents[0].RootNode) as JsonObject
            ?? throw new InvalidDataException($"{path}: the document is not a mapping");
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(pair =>
            KeyValuePair.Create(((YamlScalarNode)pair.Key).Value ?? "", Convert(pair.Value)))),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(Convert).ToArray()),
        YamlScalarNode scalar => scalar.Value is null ? null : JsonValue.Create(scalar.Value),
        _ => throw new InvalidDataException($"unsupported YAML node {node.NodeType}"),
    };
}
