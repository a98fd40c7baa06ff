using ImageHub.Sidecar.Bootstrap;

namespace ImageHub.Sidecar.Routing;

/// <summary>
/// Picks the virtual host for a request's authority with Envoy's search order: exact domains,
/// then suffix wildcards (<c>*.foo.com</c>), then prefix wildcards (<c>foo.*</c>), longest
/// wildcard first, then <c>*</c>. Matching is case-insensitive and, as in Envoy without
/// <c>strip_matching_host_port</c>, includes the port when the Host header carries one.
/// </summary>
public sealed class VirtualHostSelector<T>
{
    private readonly Dictionary<string, T> _exact = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(string Suffix, T Host)> _suffixes = [];
    private readonly List<(string Prefix, T Host)> _prefixes = [];
    private readonly bool _hasCatchAll;
    private readonly T? _catchAll;

    public VirtualHostSelector(IEnumerable<(VirtualHostConfig Config, T Host)> hosts)
    {
        foreach (var (config, host) in hosts)
        {
            foreach (var domain in config.Domains)
            {
                if (domain == "*")
                {
                    if (!_hasCatchAll) { _catchAll = host; _hasCatchAll = true; }
                }
                else if (domain.StartsWith('*')) _suffixes.Add((domain[1..], host));
                else if (domain.EndsWith('*')) _prefixes.Add((domain[..^1], host));
                else _exact.TryAdd(domain, host);
            }
        }
        _suffixes.Sort((a, b) => b.Suffix.Length.CompareTo(a.Suffix.Length));
        _prefixes.Sort((a, b) => b.Prefix.Length.CompareTo(a.Prefix.Length));
    }

    public bool TrySelect(string authority, out T host)
    {
        if (_exact.TryGetValue(authority, out host!)) return true;
        foreach (var (suffix, candidate) in _suffixes)
            // A wildcard stands for at least one character, as in Envoy.
            if (authority.Length > suffix.Length && authority.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                host = candidate;
                return true;
            }
        foreach (var (prefix, candidate) in _prefixes)
            if (authority.Length > prefix.Length && authority.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                host = candidate;
                return true;
            }
        host = _catchAll!;
        return _hasCatchAll;
    }
}
