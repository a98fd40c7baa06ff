namespace ImageHub.Sidecar.Proxy;

/// <summary>
/// Headers that describe one connection, not the message (RFC 9110 §7.6.1): a proxy must not
/// forward them, nor any header the Connection header names.
/// </summary>
public static class HopByHopHeaders
{
    private static readonly HashSet<string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization",
        "te", "trailer", "transfer-encoding", "upgrade",
    };

    private static readonly Func<string, bool> IsFixed = Names.Contains;

    public static bool IsHopByHop(string name) => Names.Contains(name);

    /// <summary>Removes the fixed list plus the names listed in <c>Connection</c>.</summary>
    public static void RemoveFrom(HttpHeaderMap headers)
    {
        // Most messages carry no Connection header: no set to build then.
        if (!headers.Contains("connection"))
        {
            headers.RemoveWhere(IsFixed);
            return;
        }
        var listed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var value in headers.GetAll("connection"))
            foreach (var token in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                listed.Add(token);
        headers.RemoveWhere(name => Names.Contains(name) || listed.Contains(name));
    }
}
