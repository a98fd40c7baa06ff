using ImageHub.ProxyWasm.Abi;

namespace ImageHub.ProxyWasm.Properties;

/// <summary>What a context can tell about itself for <c>proxy_get_property</c>.</summary>
internal interface IPropertySource
{
    PluginOptions Plugin { get; }
    StreamInfo? Stream { get; }
    HeaderMap? RequestHeaders { get; }
    HeaderMap? ResponseHeaders { get; }
    HeaderMap? ResponseTrailers { get; }
    long RequestBodyBytes { get; }
    long ResponseBodyBytes { get; }
    string? ResponseCodeDetails { get; }
    DateTimeOffset Now { get; }
    IReadOnlyDictionary<string, byte[]>? FilterState { get; }
}

/// <summary>
/// Resolves the property paths Envoy knows (the subset a sidecar can answer) into their
/// encoded values. Unknown paths and values the stream does not have are NotFound.
/// </summary>
internal static class PropertyResolver
{
    public static WasmResult Resolve(IPropertySource source, string[] path, out byte[] value)
    {
        value = [];
        if (path.Length == 0 || path[0].Length == 0) return WasmResult.NotFound;
        var joined = string.Join('\0', path);
        if (source.FilterState is { } state && state.TryGetValue(joined, out var stored))
        {
            value = stored;
            return WasmResult.Ok;
        }

        var found = path[0] switch
        {
            "plugin_name" when path.Length == 1 => PropertyEncoding.String(source.Plugin.Name),
            "plugin_root_id" when path.Length == 1 => PropertyEncoding.String(source.Plugin.RootId),
            "plugin_vm_id" when path.Length == 1 => PropertyEncoding.String(source.Plugin.VmId),
            "listener_direction" when path.Length == 1 && source.Stream is { } s => PropertyEncoding.Int64(s.ListenerDirection),
            "connection_id" when path.Length == 1 && source.Stream is { } s => PropertyEncoding.UInt64(s.ConnectionId),
            "route_name" when path.Length == 1 && source.Stream?.RouteName is { } route => PropertyEncoding.String(route),
            "cluster_name" when path.Length == 1 && source.Stream?.ClusterName is { } cluster => PropertyEncoding.String(cluster),
            "source" when path.Length == 2 && source.Stream is { } s => Peer(s.SourceAddress, s.SourcePort, path[1]),
            "destination" when path.Length == 2 && source.Stream is { } s => Peer(s.DestinationAddress, s.DestinationPort, path[1]),
            "connection" when path.Length == 2 && source.Stream is { } s => Connection(s, path[1]),
            "request" when path.Length >= 2 => Request(source, path),
            "response" when path.Length >= 2 => Response(source, path),
            _ => null,
        };
        if (found is null) return WasmResult.NotFound;
        value = found;
        return WasmResult.Ok;
    }

    private static byte[]? Peer(string? address, int port, string field) => field switch
    {
        "address" when address is not null => PropertyEncoding.String(port > 0 ? $"{address}:{port}" : address),
        "port" when port > 0 => PropertyEncoding.Int64(port),
        _ => null,
    };

    private static byte[]? Connection(StreamInfo stream, string field) => field switch
    {
        "id" => PropertyEncoding.UInt64(stream.ConnectionId),
        "mtls" => PropertyEncoding.Bool(stream.MutualTls),
        "requested_server_name" => PropertyEncoding.String(stream.RequestedServerName ?? ""),
        _ => null,
    };

    private static byte[]? Request(IPropertySource source, string[] path)
    {
        var headers = source.RequestHeaders;
        if (path[1] == "headers") return HeaderValue(headers, path);
        if (path.Length != 2) return null;
        var rawPath = headers?.Get(":path");
        return path[1] switch
        {
            "path" when rawPath is not null => PropertyEncoding.String(rawPath),
            "url_path" when rawPath is not null => PropertyEncoding.String(rawPath.Split('?', 2)[0]),
            "query" when rawPath is not null => PropertyEncoding.String(rawPath.Contains('?') ? rawPath.Split('?', 2)[1] : ""),
            "host" when headers?.Get(":authority") is { } host => PropertyEncoding.String(host),
            "scheme" when headers?.Get(":scheme") is { } scheme => PropertyEncoding.String(scheme),
            "method" when headers?.Get(":method") is { } method => PropertyEncoding.String(method),
            "referer" when headers?.Get("referer") is { } referer => PropertyEncoding.String(referer),
            "useragent" when headers?.Get("user-agent") is { } agent => PropertyEncoding.String(agent),
            "id" when headers?.Get("x-request-id") is { } id => PropertyEncoding.String(id),
            "protocol" when source.Stream is { } s => PropertyEncoding.String(s.Protocol),
            "time" when source.Stream?.StartTime is { } start => PropertyEncoding.Timestamp(start),
            "duration" when source.Stream?.StartTime is { } start => PropertyEncoding.Duration(source.Now - start),
            "size" => PropertyEncoding.Int64(source.RequestBodyBytes),
            "total_size" when headers is not null => PropertyEncoding.Int64(source.RequestBodyBytes + headers.ByteSize),
            _ => null,
        };
    }

    private static byte[]? Response(IPropertySource source, string[] path)
    {
        var headers = source.ResponseHeaders;
        if (path[1] == "headers") return HeaderValue(headers, path);
        if (path[1] == "trailers") return HeaderValue(source.ResponseTrailers, path);
        if (path.Length != 2) return null;
        return path[1] switch
        {
            "code" when int.TryParse(headers?.Get(":status"), out var code) => PropertyEncoding.Int64(code),
            "code_details" when source.ResponseCodeDetails is { } details => PropertyEncoding.String(details),
            "grpc_status" when int.TryParse(headers?.Get("grpc-status"), out var grpc) => PropertyEncoding.Int64(grpc),
            "flags" => PropertyEncoding.UInt64(0),
            "size" => PropertyEncoding.Int64(source.ResponseBodyBytes),
            "total_size" when headers is not null => PropertyEncoding.Int64(source.ResponseBodyBytes + headers.ByteSize),
            _ => null,
        };
    }

    private static byte[]? HeaderValue(HeaderMap? headers, string[] path)
    {
        if (headers is null) return null;
        if (path.Length == 2) return PropertyEncoding.Map(headers.ToList());
        if (path.Length != 3) return null;
        var values = headers.GetAll(path[2]);
        // Envoy joins repeated headers with a comma when a filter reads one through a property.
        return values.Count == 0 ? null : PropertyEncoding.String(string.Join(",", values));
    }
}
