namespace ImageHub.ProxyWasm;

/// <summary>
/// What the embedder knows about the connection and route of one HTTP stream; it feeds
/// the <c>source.*</c>, <c>destination.*</c>, <c>connection.*</c>, <c>request.*</c>
/// and route properties a filter can read. Everything is optional.
/// </summary>
public sealed record StreamInfo
{
    public string? SourceAddress { get; init; }
    public int SourcePort { get; init; }
    public string? DestinationAddress { get; init; }
    public int DestinationPort { get; init; }
    public ulong ConnectionId { get; init; }
    public bool MutualTls { get; init; }
    public string? RequestedServerName { get; init; }

    /// <summary>"HTTP/1.1", "HTTP/2", ...</summary>
    public string Protocol { get; init; } = "HTTP/1.1";

    public DateTimeOffset? StartTime { get; init; }
    public string? RouteName { get; init; }
    public string? ClusterName { get; init; }

    /// <summary>Envoy's listener direction: 0 unspecified, 1 inbound, 2 outbound.</summary>
    public long ListenerDirection { get; init; }

    public static StreamInfo Empty { get; } = new();
}
