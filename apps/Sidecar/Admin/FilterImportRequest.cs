using System.Text.Json;
using ImageHub.Sidecar.Filters;

namespace ImageHub.Sidecar.Admin;

/// <summary>
/// What <c>POST /filters/{name}</c> asks for: the module (raw <c>.wasm</c> body, a multipart
/// upload, or <c>{"path": ...}</c>) and the optional fields of Envoy's wasm filter config plus
/// where to put a new filter. Fields come from the query string, the multipart form's fields or
/// the JSON object; the same field twice, an unknown field or a bad value is an error.
/// </summary>
public sealed record FilterImportRequest(
    ReadOnlyMemory<byte> Code,
    string Source,
    WasmFilterSettings Settings,
    FilterPosition? Position,
    IReadOnlyList<string> Listeners)
{
    public static readonly string[] FieldNames = ["root_id", "vm_id", "configuration", "fail_open", "position", "listener"];

    /// <summary>Position or listener given: the caller wants a place in the chain, which only a new filter gets.</summary>
    public bool AsksForPlacement => Position is not null || Listeners.Count > 0;

    /// <summary>Reads the request; returns an error message instead when it is malformed (400). A path that cannot be read throws <see cref="FilterLoadException"/>.</summary>
    public static async Task<(FilterImportRequest? Request, string? Error)> ReadAsync(HttpRequest http, string name, string baseDirectory)
    {
        var fields = new Dictionary<string, string>();
        string? Add(string key, string value)
        {
            if (!FieldNames.Contains(key)) return $"unknown field \"{key}\" (fields: {string.Join(", ", FieldNames)}, and path in a JSON body)";
            if (!fields.TryAdd(key, value)) return $"field \"{key}\" is given twice";
            return null;
        }
        foreach (var (key, values) in http.Query)
        {
            if (values.Count != 1) return (null, $"field \"{key}\" is given twice");
            if (Add(key, values.ToString()) is { } error) return (null, error);
        }

        byte[] code;
        string source;
        if (http.HasFormContentType)
        {
            var form = await http.ReadFormAsync();
            foreach (var (key, values) in form)
            {
                if (values.Count != 1) return (null, $"field \"{key}\" is given twice");
                if (Add(key, values.ToString()) is { } error) return (null, error);
            }
            var file = form.Files.FirstOrDefault();
            if (file is null) return (null, "the form has no file; send the .wasm as a file field");
            if (form.Files.Count > 1) return (null, "the form has more than one file; send one .wasm");
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer);
            code = buffer.ToArray();
            source = $"upload:{file.FileName}";
        }
        else if (http.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true)
        {
            JsonElement body;
            try { body = (await JsonDocument.ParseAsync(http.Body)).RootElement; }
            catch (JsonException e) { return (null, $"invalid JSON body: {e.Message}"); }
            if (body.ValueKind != JsonValueKind.Object) return (null, "the JSON body must be an object: {\"path\": \"….wasm\", …}");
            string? path = null;
            foreach (var property in body.EnumerateObject())
            {
                if (property.Name == "path")
                {
                    path = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
                    continue;
                }
                if (!FieldNames.Contains(property.Name)) return (null, Add(property.Name, ""));
                var (value, valueError) = JsonField(property);
                if (valueError is not null) return (null, valueError);
                if (Add(property.Name, value!) is { } error) return (null, error);
            }
            if (string.IsNullOrWhiteSpace(path)) return (null, "the JSON body needs \"path\": the .wasm file on the sidecar's machine");
            // Relative paths resolve like code.local.filename: against the bootstrap's folder.
            source = Path.GetFullPath(Path.Combine(baseDirectory, path));
            code = FilterRegistry.ReadCode(name, source);
        }
        else
        {
            using var buffer = new MemoryStream();
            await http.Body.CopyToAsync(buffer);
            if (buffer.Length == 0) return (null, "empty body: send the .wasm bytes, a multipart upload or {\"path\": ...}");
            code = buffer.ToArray();
            source = "upload";
        }

        bool? failOpen = null;
        if (fields.TryGetValue("fail_open", out var failOpenText))
        {
            if (!bool.TryParse(failOpenText, out var parsed)) return (null, $"fail_open must be true or false, not \"{failOpenText}\"");
            failOpen = parsed;
        }
        FilterPosition? position = null;
        if (fields.TryGetValue("position", out var positionText))
        {
            position = FilterPosition.Parse(positionText, out var positionError);
            if (position is null) return (null, positionError);
        }
        var listeners = fields.TryGetValue("listener", out var listenerText)
            ? listenerText.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : [];
        if (fields.ContainsKey("listener") && listeners.Length == 0) return (null, "listener is empty: name one or more listeners, separated by commas");

        var settings = new WasmFilterSettings(
            fields.GetValueOrDefault("root_id"), fields.GetValueOrDefault("vm_id"), fields.GetValueOrDefault("configuration"), failOpen);
        return (new FilterImportRequest(code, source, settings, position, listeners), null);
    }

    /// <summary>A JSON field as the text the other forms carry; configuration must be a string, as Envoy's StringValue.</summary>
    private static (string? Value, string? Error) JsonField(JsonProperty property) => property.Value.ValueKind switch
    {
        JsonValueKind.String => (property.Value.GetString(), null),
        JsonValueKind.True or JsonValueKind.False when property.Name == "fail_open" => (property.Value.GetBoolean() ? "true" : "false", null),
        JsonValueKind.Array when property.Name == "listener" && property.Value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String) =>
            (string.Join(',', property.Value.EnumerateArray().Select(e => e.GetString())), null),
        _ when property.Name == "configuration" =>
            (null, "configuration must be a string (Envoy's google.protobuf.StringValue): send JSON configuration as text, e.g. \"{\\\"header\\\": \\\"x-a\\\"}\""),
        _ => (null, $"field \"{property.Name}\" must be a string"),
    };
}
