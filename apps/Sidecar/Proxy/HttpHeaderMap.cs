namespace ImageHub.Sidecar.Proxy;

/// <summary>
/// Headers the way Envoy hands them to filters: lower-case names, order kept, repeated names
/// allowed, and the HTTP/2 pseudo-headers (<c>:method</c>, <c>:path</c>, <c>:authority</c>,
/// <c>:scheme</c>, <c>:status</c>) in front.
/// </summary>
public sealed class HttpHeaderMap
{
    private readonly List<KeyValuePair<string, string>> _pairs = [];

    public int Count => _pairs.Count;
    public IReadOnlyList<KeyValuePair<string, string>> Pairs => _pairs;

    public string? Get(string name)
    {
        name = name.ToLowerInvariant();
        string? joined = null;
        foreach (var (key, value) in _pairs)
            if (key == name) joined = joined is null ? value : $"{joined},{value}";
        return joined;
    }

    public IEnumerable<string> GetAll(string name)
    {
        name = name.ToLowerInvariant();
        return _pairs.Where(p => p.Key == name).Select(p => p.Value);
    }

    public bool Contains(string name) => _pairs.Exists(p => p.Key == name.ToLowerInvariant());

    public void Add(string name, string value) => _pairs.Add(new(name.ToLowerInvariant(), value));

    /// <summary>Replaces every value of <paramref name="name"/> with one, keeping the first one's position.</summary>
    public void Set(string name, string value)
    {
        name = name.ToLowerInvariant();
        var index = _pairs.FindIndex(p => p.Key == name);
        if (index < 0)
        {
            _pairs.Add(new(name, value));
            return;
        }
        _pairs[index] = new(name, value);
        for (var i = _pairs.Count - 1; i > index; i--)
            if (_pairs[i].Key == name) _pairs.RemoveAt(i);
    }

    public int Remove(string name)
    {
        name = name.ToLowerInvariant();
        return _pairs.RemoveAll(p => p.Key == name);
    }

    public void RemoveWhere(Func<string, bool> predicate) => _pairs.RemoveAll(p => predicate(p.Key));

    public void Clear() => _pairs.Clear();
}
