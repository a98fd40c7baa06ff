using ImageHub.ProxyWasm.Abi;

namespace ImageHub.ProxyWasm.Hosting;

/// <summary>
/// One HTTP stream inside one replica: the maps and buffers the filter may touch in each
/// phase, the pause/continue state, and the translation of the filter's return codes into
/// what the embedder does next. All members run under the replica's gate.
/// </summary>
internal sealed class StreamContext(PluginReplica replica, int id, StreamInfo info) : ProxyContext(replica, id)
{
    private enum Phase { None, RequestHeaders, RequestBody, RequestTrailers, ResponseHeaders, ResponseBody, ResponseTrailers, Log, Done }

    private BodyBuffer? _requestBodyBuffer;
    private BodyBuffer? _responseBodyBuffer;
    private Dictionary<string, byte[]>? _filterState;
    private Phase _phase;
    private bool _created;
    private bool _requestLive;       // request headers/trailers/body writable (until the request continues)
    private bool _responseLive;      // same for the response
    private bool _continueRequested; // continue called during the callback that is running
    private bool _resetRequested;
    private bool _responseStarted;   // response headers went on downstream: a failure can only reset
    private bool _localReplySent;
    private LocalReply? _localReply;
    private TaskCompletionSource<FilterResult>? _pending;
    private HeaderMap? _requestHeaders, _requestTrailers, _responseHeaders, _responseTrailers;
    private long _requestBodyBytes, _responseBodyBytes;
    private string? _responseCodeDetails;
    private bool _failureDelivered;

    public override bool IsRoot => false;

    // Most streams never carry a body through the filter: the buffers come on first use.
    private BodyBuffer RequestBodyBuffer => _requestBodyBuffer ??= new BodyBuffer();
    private BodyBuffer ResponseBodyBuffer => _responseBodyBuffer ??= new BodyBuffer();
    public bool Failed { get; private set; }
    public bool Completed => _phase == Phase.Done;
    public StreamInfo Info { get; } = info;

    // ---- embedder-facing steps (called under the gate) -------------------------------

    public ValueTask<FilterResult> HandleRequestHeaders(HeaderMap headers, bool endOfStream)
    {
        if (Failed) return new(TakeFailure());
        EnsureCreated(nextCallFollows: Replica.Exports.HasRequestHeaders);
        _requestHeaders = headers;
        _requestLive = true;
        _phase = Phase.RequestHeaders;
        if (!Replica.Exports.HasRequestHeaders) return Continued(StreamType.Request);
        var status = Replica.Call(this, "proxy_on_request_headers", (Self: this, headers.Count, endOfStream),
            static s => s.Self.Replica.Exports.CallRequestHeaders(s.Self.Id, s.Count, s.endOfStream));
        var stop = status != (int)FilterHeadersStatus.Continue && status != (int)FilterHeadersStatus.ContinueAndEndStream;
        return AfterCallback(StreamType.Request, stop, true);
    }

    public ValueTask<FilterResult> HandleRequestBody(ReadOnlyMemory<byte> chunk, bool endOfStream)
    {
        if (Failed) return new(TakeFailure(chunk));
        RequestBodyBuffer.Append(chunk.Span);
        _requestBodyBytes += chunk.Length;
        _requestLive = true;
        _phase = Phase.RequestBody;
        if (Replica.Exports.OnRequestBody is not { } onBody) return Continued(StreamType.Request);
        var status = Replica.Call(this, "proxy_on_request_body", () => onBody(Id, RequestBodyBuffer.Length, endOfStream ? 1 : 0));
        return AfterCallback(StreamType.Request, status != (int)FilterDataStatus.Continue, endOfStream);
    }

    public ValueTask<FilterResult> HandleRequestTrailers(HeaderMap trailers)
    {
        if (Failed) return new(TakeFailure());
        _requestTrailers = trailers;
        _requestLive = true;
        _phase = Phase.RequestTrailers;
        if (Replica.Exports.OnRequestTrailers is not { } onTrailers) return Continued(StreamType.Request);
        var status = Replica.Call(this, "proxy_on_request_trailers", () => onTrailers(Id, trailers.Count));
        return AfterCallback(StreamType.Request, status != (int)FilterTrailersStatus.Continue, true);
    }

    public ValueTask<FilterResult> HandleResponseHeaders(HeaderMap headers, bool endOfStream)
    {
        if (Failed) return new(TakeFailure());
        EnsureCreated(nextCallFollows: Replica.Exports.HasResponseHeaders);
        _requestLive = false;
        _responseHeaders = headers;
        _responseLive = true;
        _phase = Phase.ResponseHeaders;
        if (!Replica.Exports.HasResponseHeaders) return Continued(StreamType.Response);
        var status = Replica.Call(this, "proxy_on_response_headers", (Self: this, headers.Count, endOfStream),
            static s => s.Self.Replica.Exports.CallResponseHeaders(s.Self.Id, s.Count, s.endOfStream));
        var stop = status != (int)FilterHeadersStatus.Continue && status != (int)FilterHeadersStatus.ContinueAndEndStream;
        return AfterCallback(StreamType.Response, stop, true);
    }

    public ValueTask<FilterResult> HandleResponseBody(ReadOnlyMemory<byte> chunk, bool endOfStream)
    {
        if (Failed) return new(TakeFailure(chunk));
        _responseStarted = true;
        ResponseBodyBuffer.Append(chunk.Span);
        _responseBodyBytes += chunk.Length;
        _responseLive = true;
        _phase = Phase.ResponseBody;
        if (Replica.Exports.OnResponseBody is not { } onBody) return Continued(StreamType.Response);
        var status = Replica.Call(this, "proxy_on_response_body", () => onBody(Id, ResponseBodyBuffer.Length, endOfStream ? 1 : 0));
        return AfterCallback(StreamType.Response, status != (int)FilterDataStatus.Continue, endOfStream);
    }

    public ValueTask<FilterResult> HandleResponseTrailers(HeaderMap trailers)
    {
        if (Failed) return new(TakeFailure());
        _responseStarted = true;
        _responseTrailers = trailers;
        _responseLive = true;
        _phase = Phase.ResponseTrailers;
        if (Replica.Exports.OnResponseTrailers is not { } onTrailers) return Continued(StreamType.Response);
        var status = Replica.Call(this, "proxy_on_response_trailers", () => onTrailers(Id, trailers.Count));
        return AfterCallback(StreamType.Response, status != (int)FilterTrailersStatus.Continue, true);
    }

    /// <summary>The end of the stream: <c>proxy_on_done</c>, <c>proxy_on_log</c>, <c>proxy_on_delete</c>, as Envoy orders them.</summary>
    public void Complete(string? responseCodeDetails)
    {
        if (_phase == Phase.Done) return;
        _responseCodeDetails ??= responseCodeDetails;
        _pending?.TrySetResult(FilterResult.Reset);
        _pending = null;
        // A failed stream gets nothing more from its VM, as in Envoy; a healthy one on a
        // faulted replica still ends normally.
        if (_created && !Failed)
        {
            try
            {
                _requestLive = _responseLive = false;
                var exports = Replica.Exports;
                if (exports.OnDone is { } onDone)
                    Replica.Call(this, "proxy_on_done", (onDone, Id), static s => s.onDone(s.Id), carryBudget: exports.OnLog is not null || exports.OnDelete is not null);
                _phase = Phase.Log;
                if (exports.OnLog is { } onLog)
                    Replica.Call(this, "proxy_on_log", (onLog, Id), static s => { s.onLog(s.Id); return 0; }, carryBudget: exports.OnDelete is not null);
                if (exports.OnDelete is { } onDelete) Replica.Call(this, "proxy_on_delete", (onDelete, Id), static s => { s.onDelete(s.Id); return 0; });
            }
            catch (FilterFailedException)
            {
                // Already logged and counted; the stream is over anyway.
            }
        }
        _phase = Phase.Done;
        Replica.Forget(this);
    }

    /// <summary>The embedder gave up waiting (client went away).</summary>
    public void Abandon() => _pending?.TrySetCanceled();

    /// <summary>
    /// A callback for this stream failed outside the stream's own steps (its callout's answer
    /// trapped) or its replica was discarded. A paused stream is answered now by the plugin's
    /// failure policy; any other gets that answer at its next step (<see cref="TakeFailure"/>).
    /// </summary>
    public void MarkFailed()
    {
        if (_phase == Phase.Done) return;
        Fail();
        if (_pending is not { } pending) return;
        _pending = null;
        _failureDelivered = true;
        pending.TrySetResult(FailureResult());
    }

    /// <summary>
    /// What a step of a failed stream answers: the failure policy's answer once (503, or
    /// pass-through when fail_open), then pass-through — the filter is out of the picture.
    /// </summary>
    public FilterResult TakeFailure(ReadOnlyMemory<byte> chunk = default)
    {
        Fail();
        if (_failureDelivered) return chunk.IsEmpty ? FilterResult.Continue : FilterResult.ContinueWith(chunk);
        _failureDelivered = true;
        var result = FailureResult();
        return result.Action == FilterAction.Continue && !chunk.IsEmpty && result.Body.IsEmpty ? FilterResult.ContinueWith(chunk) : result;
    }

    private void Fail()
    {
        if (Failed) return;
        Failed = true;
        Replica.CancelCallouts(this);
    }

    // ---- what hostcalls do to this stream ---------------------------------------------

    public override HeaderMap? GetHeaderMap(HeaderMapType type, bool forWrite)
    {
        var readable = !forWrite && _phase == Phase.Log;
        return type switch
        {
            HeaderMapType.RequestHeaders when _requestLive || readable => _requestHeaders,
            HeaderMapType.RequestTrailers when _requestLive || readable => _requestTrailers,
            HeaderMapType.ResponseHeaders when _responseLive || readable => _responseHeaders,
            HeaderMapType.ResponseTrailers when _responseLive || readable => _responseTrailers,
            _ => base.GetHeaderMap(type, forWrite),
        };
    }

    public override BodyBuffer? GetMutableBuffer(BufferType type) => type switch
    {
        BufferType.HttpRequestBody when _phase == Phase.RequestBody => RequestBodyBuffer,
        BufferType.HttpResponseBody when _phase == Phase.ResponseBody => ResponseBodyBuffer,
        _ => null,
    };

    public override ReadOnlyMemory<byte>? GetBuffer(BufferType type) => type switch
    {
        // Envoy hands an empty body buffer outside the body callbacks rather than none.
        BufferType.HttpRequestBody => new ReadOnlyMemory<byte>(_phase == Phase.RequestBody ? RequestBodyBuffer.ToArray() : []),
        BufferType.HttpResponseBody => new ReadOnlyMemory<byte>(_phase == Phase.ResponseBody ? ResponseBodyBuffer.ToArray() : []),
        _ => base.GetBuffer(type),
    };

    public override WasmResult ContinueStream(StreamType type)
    {
        if (type > StreamType.Response) return WasmResult.BadArgument;
        if (_pending is { } pending && PendingDirection == type)
        {
            _pending = null;
            pending.TrySetResult(ContinueResult(type));
        }
        else
        {
            _continueRequested = true;
        }
        return WasmResult.Ok;
    }

    public override WasmResult CloseStream(StreamType type)
    {
        if (type > StreamType.Upstream) return WasmResult.BadArgument;
        if (type > StreamType.Response) return WasmResult.Ok;
        _responseCodeDetails ??= "wasm_close_stream";
        if (_pending is { } pending)
        {
            _pending = null;
            pending.TrySetResult(FilterResult.Reset);
        }
        else
        {
            _resetRequested = true;
        }
        return WasmResult.Ok;
    }

    public override void SendLocalReply(LocalReply reply)
    {
        // One local reply per stream, as Envoy: the reply's own trip through the response
        // callbacks cannot start another one.
        if (_localReplySent || _responseStarted) return;
        _localReplySent = true;
        _responseCodeDetails = reply.Details;
        Replica.Plugin.CountLocalReply();
        if (_pending is { } pending)
        {
            _pending = null;
            pending.TrySetResult(FilterResult.Reply(reply));
        }
        else
        {
            _localReply = reply;
        }
    }

    public override WasmResult SetProperty(string path, byte[] value)
    {
        (_filterState ??= new Dictionary<string, byte[]>(StringComparer.Ordinal))[path] = value;
        return WasmResult.Ok;
    }

    public override StreamInfo? Stream => Info;
    public override HeaderMap? RequestHeaders => _requestHeaders;
    public override HeaderMap? ResponseHeaders => _responseHeaders;
    public override HeaderMap? ResponseTrailers => _responseTrailers;
    public override long RequestBodyBytes => _requestBodyBytes;
    public override long ResponseBodyBytes => _responseBodyBytes;
    public override string? ResponseCodeDetails => _responseCodeDetails;
    public override IReadOnlyDictionary<string, byte[]>? FilterState => _filterState;

    // ---- helpers ------------------------------------------------------------------------

    private StreamType PendingDirection { get; set; }

    /// <param name="nextCallFollows">the step calls the filter right after (its budget carries over).</param>
    private void EnsureCreated(bool nextCallFollows)
    {
        if (_created) return;
        _created = true;
        if (Replica.Exports.OnContextCreate is { } create)
            Replica.Call(this, "proxy_on_context_create", (create, Id, Root: Replica.Root.Id), static s => { s.create(s.Id, s.Root); return 0; }, nextCallFollows);
    }

    private ValueTask<FilterResult> AfterCallback(StreamType direction, bool stopped, bool endOfStream)
    {
        var continued = _continueRequested;
        _continueRequested = false;
        if (_resetRequested) return new(FilterResult.Reset);
        if (_localReply is { } reply)
        {
            _localReply = null;
            _requestLive = false;
            return new(FilterResult.Reply(reply));
        }
        if (!stopped || continued) return new(ContinueResult(direction));
        var isBody = _phase is Phase.RequestBody or Phase.ResponseBody;
        if (isBody && !endOfStream) return new(FilterResult.Buffer);
        // Paused: the stream waits, without a thread, until the filter continues it
        // (typically from a callout response), answers locally, or fails.
        _pending = new TaskCompletionSource<FilterResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        PendingDirection = direction;
        return new(_pending.Task);
    }

    private ValueTask<FilterResult> Continued(StreamType direction) => new(ContinueResult(direction));

    private FilterResult ContinueResult(StreamType direction)
    {
        if (direction == StreamType.Request)
        {
            _requestLive = false;
            if (_phase == Phase.RequestBody) return FilterResult.ContinueWith(TakeBody(RequestBodyBuffer));
            return FilterResult.Continue;
        }
        _responseLive = false;
        _responseStarted = true;
        if (_phase == Phase.ResponseBody) return FilterResult.ContinueWith(TakeBody(ResponseBodyBuffer));
        return FilterResult.Continue;
    }

    private static byte[] TakeBody(BodyBuffer buffer)
    {
        var bytes = buffer.ToArray();
        buffer.Clear();
        return bytes;
    }

    private FilterResult FailureResult()
    {
        var body = _phase switch
        {
            Phase.RequestBody => TakeBody(RequestBodyBuffer),
            Phase.ResponseBody => TakeBody(ResponseBodyBuffer),
            _ => null,
        };
        if (Replica.Plugin.Options.FailOpen) return body is null ? FilterResult.Continue : FilterResult.ContinueWith(body);
        _responseCodeDetails = "wasm_fail_stream";
        if (_responseStarted || _localReplySent) return FilterResult.Reset;
        _localReplySent = true;
        return FilterResult.Reply(new LocalReply(503, "wasm_fail_stream", [], new HeaderMap(), 14));
    }
}
