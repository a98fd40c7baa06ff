using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ImageHub.Sidecar.Bootstrap;

/// <summary>
/// A JSON object being read field by field. It remembers which fields were read, so every
/// field left over at <see cref="Finish"/> is reported as unsupported by its full path —
/// the reader never has to list what it does not know.
/// </summary>
internal sealed class ConfigObject(JsonObject node, string path, BootstrapDiagnostics diagnostics)
{
    private readonly HashSet<string> _read = [];

    public string Path { get; } = path;
    public BootstrapDiagnostics Diagnostics { get; } = diagnostics;
    public JsonObject Node { get; } = node;

    public string PathOf(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public bool Has(string key) => Node.ContainsKey(key) && Node[key] is not null;

    /// <summary>Marks a field as understood without using its value (e.g. a default we also apply).</summary>
    public void Accept(string key) => _read.Add(key);

    public void Error(string key, string message) => Diagnostics.Error(PathOf(key), message);

    public void Finish()
    {
        foreach (var (key, _) in Node)
            if (!_read.Contains(key)) Diagnostics.Unsupported(PathOf(key));
    }

    private JsonNode? Take(string key, bool required)
    {
        _read.Add(key);
        var value = Node[key];
        if (value is null && required) Diagnostics.Error(PathOf(key), "required");
        return value;
    }

    public ConfigObject? Object(string key, bool required = false)
    {
        var value = Take(key, required);
        if (value is null) return null;
        if (value is JsonObject obj) return new ConfigObject(obj, PathOf(key), Diagnostics);
        Error(key, "must be a mapping");
        return null;
    }

    public IReadOnlyList<ConfigObject> Objects(string key, bool required = false)
    {
        var value = Take(key, required);
        if (value is null) return [];
        if (value is not JsonArray array)
        {
            Error(key, "must be a list");
            return [];
        }
        var list = new List<ConfigObject>();
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is JsonObject obj) list.Add(new ConfigObject(obj, $"{PathOf(key)}[{i}]", Diagnostics));
            else Diagnostics.Error($"{PathOf(key)}[{i}]", "must be a mapping");
        }
        if (required && list.Count == 0 && array.Count == 0) Error(key, "must not be empty");
        return list;
    }

    public IReadOnlyList<string> Strings(string key, bool required = false)
    {
        var value = Take(key, required);
        if (value is null) return [];
        if (value is not JsonArray array)
        {
            Error(key, "must be a list of strings");
            return [];
        }
        var list = new List<string>();
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String) list.Add(v.GetValue<string>());
            else Diagnostics.Error($"{PathOf(key)}[{i}]", "must be a string");
        }
        if (required && list.Count == 0 && array.Count == 0) Error(key, "must not be empty");
        return list;
    }

    public string? String(string key, bool required = false)
    {
        var value = Take(key, required);
        if (value is null) return null;
        if (value is JsonValue v && v.GetValueKind() is JsonValueKind.String) return v.GetValue<string>();
        if (value is JsonValue n && n.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
            return n.ToJsonString();
        Error(key, "must be a string");
        return null;
    }

    public long? Integer(string key, bool required = false, long min = long.MinValue, long max = long.MaxValue)
    {
        var value = Take(key, required);
        if (value is null) return null;
        long result;
        // ToJsonString, not TryGetValue<long>: a node built in code may hold an int or a double.
        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            && long.TryParse(v.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)) result = l;
        else if (value is JsonValue s && s.GetValueKind() == JsonValueKind.String
                 && long.TryParse(s.GetValue<string>(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)) result = parsed;
        else
        {
            Error(key, $"must be an integer, got {value.ToJsonString()}");
            return null;
        }
        if (result < min || result > max)
        {
            Error(key, $"must be between {min} and {max}, got {result}");
            return null;
        }
        return result;
    }

    public bool? Bool(string key)
    {
        var value = Take(key, false);
        if (value is null) return null;
        if (value is JsonValue v)
        {
            if (v.GetValueKind() == JsonValueKind.True) return true;
            if (v.GetValueKind() == JsonValueKind.False) return false;
            if (v.GetValueKind() == JsonValueKind.String)
            {
                var s = v.GetValue<string>();
                if (s is "true" or "True" or "TRUE") return true;
                if (s is "false" or "False" or "FALSE") return false;
            }
        }
        Error(key, $"must be true or false, got {value.ToJsonString()}");
        return null;
    }

    /// <summary>A protobuf Duration in its JSON form: seconds with an "s" suffix, e.g. "0.25s" or "15s".</summary>
    public TimeSpan? Duration(string key)
    {
        var text = String(key);
        if (text is null) return null;
        if (ProtoDuration.TryParse(text, out var span)) return span;
        Error(key, $"must be a duration such as \"1s\" or \"0.250s\", got \"{text}\"");
        return null;
    }
}

/// <summary>The JSON form of google.protobuf.Duration.</summary>
public static class ProtoDuration
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        if (!text.EndsWith('s')) return false;
        if (!decimal.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
            return false;
        if (seconds > 315_576_000_000m) return false;
        value = TimeSpan.FromTicks((long)(seconds * TimeSpan.TicksPerSecond));
        return true;
    }

    public static string Format(TimeSpan value) =>
        ((decimal)value.Ticks / TimeSpan.TicksPerSecond).ToString("0.###", CultureInfo.InvariantCulture) + "s";
}
