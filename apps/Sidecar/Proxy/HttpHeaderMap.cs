using ImageHub.ProxyWasm;

namespace ImageHub.Sidecar.Proxy;

/// <summary>
/// Headers the way Envoy hands them to filters: lower-case names, order kept, repeated names
/// allowed, and the HTTP/2 pseudo-headers (<c>:method</c>, <c>:path</c>, <c>:authority</c>,
/// <c>:scheme</c>, <c>:status</c>) in front.
/// </summary>
/// <remarks>
/// The entries live in the Proxy-Wasm host's <see cref="HeaderMap"/>, which the wasm filters
/// read and change in place, as every Envoy filter works on the one header map of the stream.
/// Copying the map into the host and back for every filter callback cost more than the
/// callbacks of a small filter themselves.
/// </remarks>
public sealed class HttpHeaderMap
{
    public HttpHeaderMap() : this(new HeaderMap())
    {
    }

    /// <summary>Adopts <paramref name="entries"/> (no copy): changes through either are the same change.</summary>
    internal HttpHeaderMap(HeaderMap entries) => Entries = entries;

    /// <summary>The storage, handed as it is to the Proxy-Wasm host.</summary>
    internal HeaderMap Entries { get; }

    public int Count => Entries.Count;
    public IReadOnlyList<KeyValuePair<string, string>> Pairs => Entries;

    /// <summary>The value, or every value joined with commas when the name repeats (RFC 9110 §5.3); null when absent.</summary>
    public string? Get(string name)
    {
        string? joined = null;
        foreach (var (key, value) in Entries)
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase)) joined = joined is null ? value : $"{joined},{value}";
        return joined;
    }

    public IEnumerable<string> GetAll(string name) => Entries.GetAll(name);

    public bool Contains(string name) => Entries.Contains(name);

    public void Add(string name, string value) => Entries.Add(name, value);

    /// <summary>Replaces every value of <paramref name="name"/> with one, keeping the first one's position.</summary>
    public void Set(string name, string value) => Entries.Set(name, value);

    public int Remove(string name) => Entries.Remove(name);

    public void RemoveWhere(Func<string, bool> predicate) => Entries.RemoveWhere(predicate);

    public void Clear() => Entries.Clear();
}
