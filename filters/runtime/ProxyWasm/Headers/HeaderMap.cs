using System.Collections;
using System.Text;

namespace ImageHub.ProxyWasm;

/// <summary>
/// HTTP headers the way Envoy hands them to a filter: names are lower-cased, lookups are
/// case-insensitive, order is kept, a name may occur many times, and the HTTP/2
/// pseudo-headers (<c>:method</c>, <c>:path</c>, <c>:authority</c>, <c>:scheme</c>,
/// <c>:status</c>) stay in front of the regular ones.
/// </summary>
public sealed class HeaderMap : IReadOnlyList<KeyValuePair<string, string>>
{
    private readonly List<KeyValuePair<string, string>> _entries;

    public HeaderMap() => _entries = new List<KeyValuePair<string, string>>();

    public HeaderMap(IEnumerable<KeyValuePair<string, string>> entries) : this()
    {
        foreach (var (name, value) in entries) Add(name, value);
    }

    /// <summary>Builds a map from (name, value) tuples; handy in tests and callouts.</summary>
    public static HeaderMap Of(params (string Name, string Value)[] entries)
    {
        var map = new HeaderMap();
        foreach (var (name, value) in entries) map.Add(name, value);
        return map;
    }

    public int Count => _entries.Count;

    public KeyValuePair<string, string> this[int index] => _entries[index];

    /// <summary>The first value of <paramref name="name"/>, or null.</summary>
    public string? this[string name] => Get(name);

    /// <summary>Sum of name and value lengths, what Envoy's <c>byteSize()</c> reports.</summary>
    public int ByteSize
    {
        get
        {
            var size = 0;
            foreach (var (name, value) in _entries) size += name.Length + value.Length;
            return size;
        }
    }

    public string? Get(string name)
    {
        var index = IndexOf(name, 0);
        return index < 0 ? null : _entries[index].Value;
    }

    public IReadOnlyList<string> GetAll(string name)
    {
        var values = new List<string>();
        foreach (var (key, value) in _entries)
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase)) values.Add(value);
        return values;
    }

    public bool Contains(string name) => IndexOf(name, 0) >= 0;

    /// <summary>Appends a value (a repeated name keeps both).</summary>
    public void Add(string name, string value)
    {
        var lower = Lower(name);
        if (lower.Length > 0 && lower[0] == ':')
        {
            var position = 0;
            while (position < _entries.Count && _entries[position].Key.StartsWith(':')) position++;
            _entries.Insert(position, new(lower, value));
        }
        else
        {
            _entries.Add(new(lower, value));
        }
    }

    /// <summary>
    /// Replaces the value of the first occurrence and drops the others; adds the header
    /// when it is missing (Envoy's <c>setCopy</c>).
    /// </summary>
    public void Set(string name, string value)
    {
        var first = IndexOf(name, 0);
        if (first < 0)
        {
            Add(name, value);
            return;
        }
        _entries[first] = new(_entries[first].Key, value);
        for (var i = _entries.Count - 1; i > first; i--)
            if (string.Equals(_entries[i].Key, name, StringComparison.OrdinalIgnoreCase)) _entries.RemoveAt(i);
    }

    /// <summary>Removes every occurrence; returns how many there were.</summary>
    public int Remove(string name) =>
        _entries.RemoveAll(entry => string.Equals(entry.Key, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Removes every header whose (lower-case) name matches; returns how many there were.</summary>
    public int RemoveWhere(Func<string, bool> name) => _entries.RemoveAll(entry => name(entry.Key));

    public void Clear() => _entries.Clear();

    /// <summary>Replaces the whole content, keeping the given order (pseudo-headers first).</summary>
    public void ReplaceAll(IEnumerable<KeyValuePair<string, string>> entries)
    {
        _entries.Clear();
        foreach (var (name, value) in entries) Add(name, value);
    }

    public HeaderMap Clone() => new(_entries);

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    // ---- by a name's UTF-8 bytes (a hostcall's key in guest memory), decoded only when stored ----

    /// <summary>The first value of the header named by <paramref name="utf8Name"/>, or null.</summary>
    internal string? Get(ReadOnlySpan<byte> utf8Name)
    {
        if (!Ascii.IsValid(utf8Name)) return Get(Encoding.UTF8.GetString(utf8Name));
        var index = IndexOf(utf8Name, 0);
        return index < 0 ? null : _entries[index].Value;
    }

    /// <summary><see cref="Set(string, string)"/> for a name given as UTF-8.</summary>
    internal void Set(ReadOnlySpan<byte> utf8Name, string value)
    {
        if (!Ascii.IsValid(utf8Name))
        {
            Set(Encoding.UTF8.GetString(utf8Name), value);
            return;
        }
        var first = IndexOf(utf8Name, 0);
        if (first < 0)
        {
            Add(Encoding.UTF8.GetString(utf8Name), value);
            return;
        }
        _entries[first] = new(_entries[first].Key, value);
        for (var i = _entries.Count - 1; i > first; i--)
            if (Ascii.EqualsIgnoreCase(utf8Name, _entries[i].Key)) _entries.RemoveAt(i);
    }

    /// <summary><see cref="Remove(string)"/> for a name given as UTF-8.</summary>
    internal int Remove(ReadOnlySpan<byte> utf8Name)
    {
        if (!Ascii.IsValid(utf8Name)) return Remove(Encoding.UTF8.GetString(utf8Name));
        var removed = 0;
        for (var i = _entries.Count - 1; i >= 0; i--)
        {
            if (!Ascii.EqualsIgnoreCase(utf8Name, _entries[i].Key)) continue;
            _entries.RemoveAt(i);
            removed++;
        }
        return removed;
    }

    // HTTP header names are ASCII tokens; an ASCII name is compared as Get(string) compares.
    private int IndexOf(ReadOnlySpan<byte> utf8Name, int start)
    {
        for (var i = start; i < _entries.Count; i++)
            if (Ascii.EqualsIgnoreCase(utf8Name, _entries[i].Key)) return i;
        return -1;
    }

    public override string ToString() => string.Join("\n", _entries.Select(e => $"{e.Key}: {e.Value}"));

    private int IndexOf(string name, int start)
    {
        for (var i = start; i < _entries.Count; i++)
            if (string.Equals(_entries[i].Key, name, StringComparison.OrdinalIgnoreCase)) return i;
        return -1;
    }

    private static string Lower(string name)
    {
        foreach (var c in name)
            if (c is >= 'A' and <= 'Z') return name.ToLowerInvariant();
        return name;
    }
}
