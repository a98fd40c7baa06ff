using ImageHub.Sidecar.Proxy;

namespace ImageHub.Sidecar.Filters;

/// <summary>
/// One loaded version of an HTTP filter, as the proxy pipeline sees it. The Proxy-Wasm host
/// sits behind this interface; the pipeline never talks to the host directly.
/// </summary>
public interface IHttpFilter : IDisposable
{
    /// <summary>Opens the per-request state (in Proxy-Wasm: a stream context bound to one replica).</summary>
    IHttpFilterStream OpenStream(FilterStreamInfo info);
}

/// <summary>What a filter may ask about the connection a request came on.</summary>
public sealed record FilterStreamInfo(
    string RequestId,
    string SourceAddress,
    int SourcePort,
    string DestinationAddress,
    int DestinationPort,
    ulong ConnectionId,
    string ListenerName,
    string Protocol,
    DateTimeOffset StartTime)
{
    /// <summary>The Proxy-Wasm host's form of this, made by the request's first wasm filter and shared by the others.</summary>
    internal ImageHub.ProxyWasm.StreamInfo? ProxyWasmInfo { get; set; }
}

/// <summary>
/// One request's pass through one filter. Each call may pause (the task completes when the
/// filter continues, e.g. after an HTTP callout) or answer with a local reply.
/// <see cref="Complete"/> ends the stream (Proxy-Wasm's on_done, on_log, on_delete).
/// </summary>
public interface IHttpFilterStream
{
    /// <summary>True when the filter reads request bodies; only then does the proxy buffer them.</summary>
    bool WantsRequestBody { get; }

    ValueTask<FilterVerdict> OnRequestHeadersAsync(HttpHeaderMap headers, bool endOfStream, CancellationToken cancellationToken);

    ValueTask<FilterVerdict> OnRequestBodyAsync(ReadOnlyMemory<byte> body, bool endOfStream, CancellationToken cancellationToken);

    ValueTask<FilterVerdict> OnResponseHeadersAsync(HttpHeaderMap headers, bool endOfStream, CancellationToken cancellationToken);

    /// <param name="responseCodeDetails">why the response is what it is (Envoy's response code details).</param>
    void Complete(string? responseCodeDetails);
}

/// <summary>
/// Continue with the (possibly edited) headers, stop and answer with <see cref="LocalReply"/>,
/// or <see cref="Reset"/> the stream (the filter closed it: the connection is cut).
/// </summary>
public sealed record FilterVerdict(ProxyResponse? LocalReply, bool Reset = false)
{
    public static readonly FilterVerdict Continue = new((ProxyResponse?)null);
    public static readonly FilterVerdict ResetStream = new(null, Reset: true);

    public static FilterVerdict Reply(ProxyResponse reply) => new(reply);
}

/// <summary>A filter closed the stream; the response writer cuts the connection.</summary>
public sealed class StreamResetException(string filter) : Exception($"filter {filter} reset the stream");
