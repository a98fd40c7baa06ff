using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ImageHub.Sidecar.Bootstrap;

/// <summary>
/// Turns a bootstrap file (YAML or JSON) into one JSON tree, so a single reader serves both.
/// YAML scalars stay strings; the reader converts them where a number or bool is expected,
/// as protobuf's JSON mapping also accepts numbers written as strings.
/// </summary>
public static class ConfigDocument
{
    public static JsonObject Load(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BootstrapException(path, [$"cannot read the file: {e.Message}"]);
        }
        var isJson = Path.GetExtension(path).Equals(".json", StringComparison.OrdinalIgnoreCase);
        return Parse(text, isJson, path);
    }

    public static JsonObject Parse(string text, bool isJson, string source)
    {
        JsonNode? root;
        try
        {
            root = isJson
                ? JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })
                : FromYaml(text, source);
        }
        catch (JsonException e)
        {
            throw new BootstrapException(source, [$"not valid JSON (line {e.LineNumber + 1}): {e.Message}"]);
        }
        catch (YamlException e)
        {
            throw new BootstrapException(source, [$"not valid YAML (line {e.Start.Line}, column {e.Start.Column}): {e.InnerException?.Message ?? e.Message}"]);
        }
        return root as JsonObject
            ?? throw new BootstrapException(source, ["the document must be a mapping with admin and static_resources"]);
    }

    private static JsonNode? FromYaml(string text, string source)
    {
        var parser = new Parser(new StringReader(text));
        try { return ReadDocument(parser, source); }
        catch (InvalidOperationException)
        {
            // The scanner reports some unterminated structures (an unclosed [ or {) this way.
            throw new BootstrapException(source, [$"not valid YAML (line {parser.Current?.Start.Line ?? 1}): unterminated or unexpected structure"]);
        }
    }

    private static JsonNode? ReadDocument(IParser parser, string source)
    {
        parser.Consume<StreamStart>();
        if (parser.Accept<StreamEnd>(out _)) return null;
        parser.Consume<DocumentStart>();
        var anchors = new Dictionary<string, JsonNode?>();
        var root = ReadNode(parser, "", source, anchors);
        parser.Consume<DocumentEnd>();
        if (!parser.Accept<StreamEnd>(out _))
            throw new BootstrapException(source, ["the file holds several YAML documents; a bootstrap is one"]);
        return root;
    }

    /// <summary>Reads one node from the event stream, so every error can name its line and path.</summary>
    private static JsonNode? ReadNode(IParser parser, string path, string source, Dictionary<string, JsonNode?> anchors)
    {
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (!anchors.TryGetValue(alias.Value.Value, out var target))
                throw new BootstrapException(source, [$"{path}: unknown alias *{alias.Value} (line {alias.Start.Line})"]);
            return target?.DeepClone();
        }
        JsonNode? node;
        string? anchor = null;
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            anchor = scalar.Anchor.IsEmpty ? null : scalar.Anchor.Value;
            // An unquoted null/~ or empty value is YAML's null; quoted text always stays text.
            node = scalar.Style == ScalarStyle.Plain && scalar.Value is "" or "~" or "null" or "Null" or "NULL"
                ? null
                : JsonValue.Create(scalar.Value);
        }
        else if (parser.TryConsume<SequenceStart>(out var sequence))
        {
            anchor = sequence.Anchor.IsEmpty ? null : sequence.Anchor.Value;
            var array = new JsonArray();
            while (!parser.TryConsume<SequenceEnd>(out _))
                array.Add(ReadNode(parser, $"{path}[{array.Count}]", source, anchors));
            node = array;
        }
        else if (parser.TryConsume<MappingStart>(out var mapping))
        {
            anchor = mapping.Anchor.IsEmpty ? null : mapping.Anchor.Value;
            var obj = new JsonObject();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var keyEvent = parser.Current;
                if (!parser.TryConsume<Scalar>(out var key))
                    throw new BootstrapException(source, [$"{path}: keys must be plain strings (line {keyEvent?.Start.Line})"]);
                var keyPath = Join(path, key.Value);
                if (obj.ContainsKey(key.Value))
                    throw new BootstrapException(source, [$"{keyPath}: duplicate key (line {key.Start.Line})"]);
                obj[key.Value] = ReadNode(parser, keyPath, source, anchors);
            }
            node = obj;
        }
        else
        {
            throw new BootstrapException(source, [$"{path}: unexpected YAML content (line {parser.Current?.Start.Line})"]);
        }
        if (anchor is not null) anchors[anchor] = node?.DeepClone();
        return node;
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";
}
