using System.Text.Json.Nodes;

namespace ImageHub.Mesh.Tests.Support;

/// <summary>
/// An allow-list of field names, nested: each documented field either ends there (a value),
/// opens a map of its own documented fields, holds a list of such maps, or is a free-form map
/// whose keys are the user's (Meta, Config). Names are matched exactly as documented.
/// </summary>
public abstract record FieldSchema
{
    /// <summary>Every field name under <paramref name="node"/> that the schema does not document, with its JSON path.</summary>
    public IReadOnlyList<string> Undocumented(JsonNode? node, string path = "$")
    {
        var found = new List<string>();
        Walk(node, path, found);
        return found;
    }

    internal abstract void Walk(JsonNode? node, string path, List<string> found);

    public static FieldSchema Value { get; } = new ValueSchema();
    public static FieldSchema FreeMap { get; } = new FreeMapSchema();
    public static FieldSchema Map(params (string Name, FieldSchema Schema)[] fields) => new MapSchema(fields.ToDictionary(f => f.Name, f => f.Schema));
    public static FieldSchema Map(IEnumerable<(string Name, FieldSchema Schema)> fields) => Map(fields.ToArray());
    public static FieldSchema ListOf(FieldSchema item) => new ListSchema(item);

    /// <summary>Leaf fields, for maps that only hold values.</summary>
    public static FieldSchema Values(params string[] names) => Map(names.Select(n => (n, Value)).ToArray());

    private sealed record ValueSchema : FieldSchema
    {
        internal override void Walk(JsonNode? node, string path, List<string> found)
        {
            if (node is JsonObject or JsonArray) found.Add($"{path}: expected a plain value, found {(node is JsonObject ? "a map" : "a list")}");
        }
    }

    private sealed record FreeMapSchema : FieldSchema
    {
        internal override void Walk(JsonNode? node, string path, List<string> found)
        {
            if (node is not null and not JsonObject) found.Add($"{path}: expected a map");
        }
    }

    private sealed record ListSchema(FieldSchema Item) : FieldSchema
    {
        internal override void Walk(JsonNode? node, string path, List<string> found)
        {
            if (node is null) return;
            if (node is not JsonArray list) { found.Add($"{path}: expected a list"); return; }
            for (var i = 0; i < list.Count; i++) Item.Walk(list[i], $"{path}[{i}]", found);
        }
    }

    internal sealed record MapSchema(IReadOnlyDictionary<string, FieldSchema> Fields) : FieldSchema
    {
        internal override void Walk(JsonNode? node, string path, List<string> found)
        {
            if (node is null) return;
            if (node is not JsonObject map) { found.Add($"{path}: expected a map"); return; }
            foreach (var (name, value) in map)
            {
                if (Fields.TryGetValue(name, out var schema)) schema.Walk(value, $"{path}.{name}", found);
                else found.Add($"{path}.{name}: not a documented field");
            }
        }
    }
}
