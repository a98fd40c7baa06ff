using System.Text.RegularExpressions;
using ImageHub.Sidecar.Bootstrap;

namespace ImageHub.Sidecar.Routing;

/// <summary>One route entry, ready to test against a request's :path.</summary>
public sealed class CompiledRoute
{
    private static readonly TimeSpan RegexBudget = TimeSpan.FromMilliseconds(50);
    private readonly Regex? _regex;
    private readonly StringComparison _comparison;

    public CompiledRoute(RouteConfig config)
    {
        Config = config;
        _comparison = config.Match.CaseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        if (config.Match.SafeRegex is { } pattern)
        {
            var options = RegexOptions.CultureInvariant | (config.Match.CaseSensitive ? 0 : RegexOptions.IgnoreCase);
            // RE2 semantics: the whole path must match, not a substring.
            _regex = new Regex($"^(?:{pattern})$", options, RegexBudget);
        }
    }

    public RouteConfig Config { get; }

    /// <summary>
    /// As in Envoy, a prefix matches the whole :path (query included), while path and
    /// safe_regex match the path with the query string removed.
    /// </summary>
    public bool Matches(string pathAndQuery)
    {
        var match = Config.Match;
        if (match.Prefix is { } prefix) return pathAndQuery.StartsWith(prefix, _comparison);
        var path = StripQuery(pathAndQuery);
        if (match.Path is { } exact) return string.Equals(path, exact, _comparison);
        try { return _regex!.IsMatch(path); }
        catch (RegexMatchTimeoutException) { return false; }
    }

    /// <summary>Applies prefix_rewrite: the matched prefix (or exact path) is replaced, the rest kept.</summary>
    public string RewritePath(string pathAndQuery)
    {
        if (Config.Route?.PrefixRewrite is not { } rewrite) return pathAndQuery;
        var match = Config.Match;
        if (match.Prefix is { } prefix) return rewrite + pathAndQuery[prefix.Length..];
        if (match.Path is { } exact) return rewrite + pathAndQuery[exact.Length..];
        return pathAndQuery;
    }

    private static string StripQuery(string pathAndQuery)
    {
        var q = pathAndQuery.IndexOf('?');
        return q < 0 ? pathAndQuery : pathAndQuery[..q];
    }
}
