using System.Globalization;
using System.Text;

namespace ImageHub.ProxyWasm.Testing;

/// <summary>
/// One request/response through the filter under test, step by step, as Envoy would drive
/// it. Header maps are kept so the test can read what the filter changed.
/// </summary>
public sealed class HttpExchange : IDisposable
{
    private readonly FilterHarness _harness;
    private readonly FilterStream _stream;
    private StepResult? _pendingLocalReply;

    internal HttpExchange(FilterHarness harness, FilterStream stream)
    {
        _harness = harness;
        _stream = stream;
    }

    /// <summary>The context id the filter sees for this stream.</summary>
    public int ContextId => _stream.ContextId;

    // Empty maps only when read before anything was sent: most exchanges replace them at once.
    private HeaderMap? _requestHeaders, _responseHeaders;

    public HeaderMap RequestHeaders
    {
        get => _requestHeaders ??= new HeaderMap();
        private set => _requestHeaders = value;
    }

    public HeaderMap? RequestTrailers { get; private set; }
    public HeaderMap ResponseHeaders
    {
        get => _responseHeaders ??= new HeaderMap();
        private set => _responseHeaders = value;
    }

    /// <summary>The local reply the filter (or the failure policy) sent, once it has been sent.</summary>
    public LocalReply? LocalReply { get; private set; }

    /// <summary>The response the client gets for a local reply, after it went back through the filter's response callbacks.</summary>
    public HeaderMap? LocalReplyHeaders { get; private set; }

    public bool IsComplete { get; private set; }

    /// <summary>Request headers for a request; pseudo-headers first, then the given ones.</summary>
    public StepResult SendRequestHeaders(string method, string path, string authority = "localhost", params (string Name, string Value)[] headers)
    {
        var map = new HeaderMap();
        map.Add(":method", method);
        map.Add(":path", path);
        map.Add(":authority", authority);
        map.Add(":scheme", "http");
        foreach (var (name, value) in headers) map.Add(name, value);
        return SendRequestHeaders(map, endOfStream: method is "GET" or "HEAD" or "DELETE");
    }

    public StepResult SendRequestHeaders(HeaderMap headers, bool endOfStream = true)
    {
        RequestHeaders = headers;
        return Track(_stream.OnRequestHeadersAsync(headers, endOfStream), request: true);
    }

    public StepResult SendRequestBody(string body, bool endOfStream = true) => SendRequestBody(Encoding.UTF8.GetBytes(body), endOfStream);

    public StepResult SendRequestBody(byte[] body, bool endOfStream = true) =>
        Track(_stream.OnRequestBodyAsync(body, endOfStream), request: true);

    public StepResult SendRequestTrailers(params (string Name, string Value)[] trailers)
    {
        RequestTrailers = HeaderMap.Of(trailers);
        return Track(_stream.OnRequestTrailersAsync(RequestTrailers), request: true);
    }

    /// <summary>The upstream's response headers (with <c>:status</c>).</summary>
    public StepResult SendResponseHeaders(int status, bool endOfStream = true, params (string Name, string Value)[] headers)
    {
        var map = new HeaderMap();
        map.Add(":status", status.ToString(CultureInfo.InvariantCulture));
        foreach (var (name, value) in headers) map.Add(name, value);
        return SendResponseHeaders(map, endOfStream);
    }

    public StepResult SendResponseHeaders(HeaderMap headers, bool endOfStream = true)
    {
        ResponseHeaders = headers;
        return Track(_stream.OnResponseHeadersAsync(headers, endOfStream), request: false);
    }

    public StepResult SendResponseBody(string body, bool endOfStream = true) =>
        Track(_stream.OnResponseBodyAsync(Encoding.UTF8.GetBytes(body), endOfStream), request: false);

    public StepResult SendResponseTrailers(params (string Name, string Value)[] trailers) =>
        Track(_stream.OnResponseTrailersAsync(HeaderMap.Of(trailers)), request: false);

    /// <summary>Ends the stream: the filter's on_done, on_log and on_delete run.</summary>
    public void Complete()
    {
        if (IsComplete) return;
        IsComplete = true;
        _stream.Complete(LocalReply?.Details ?? "via_upstream");
        _harness.Forget(this);
        _harness.RunPending();
    }

    public void Dispose() => Complete();

    /// <summary>
    /// Envoy sends a local reply back through the encoder filters, this one included: its
    /// headers reach <c>proxy_on_response_headers</c> before the client sees them.
    /// </summary>
    internal void Settle()
    {
        if (_pendingLocalReply is not { IsPaused: false } step || IsComplete) return;
        _pendingLocalReply = null;
        if (step.Action != FilterAction.LocalReply) return;
        LocalReply = step.LocalReply;
        var headers = LocalReply!.ToResponseHeaders();
        ResponseHeaders = headers;
        _ = _stream.OnResponseHeadersAsync(headers, LocalReply.Body.Length == 0);
        if (LocalReply.Body.Length > 0) _ = _stream.OnResponseBodyAsync(LocalReply.Body, true);
        LocalReplyHeaders = headers;
    }

    private StepResult Track(ValueTask<FilterResult> outcome, bool request)
    {
        if (IsComplete) throw new InvalidOperationException("the exchange is complete");
        var step = new StepResult(outcome);
        if (request) _pendingLocalReply = step;
        else if (!step.IsPaused && step.Action == FilterAction.LocalReply) LocalReply = step.LocalReply;
        _harness.RunPending();
        return step;
    }
}
