using ImageHub.Sidecar.Filters;
using Microsoft.Extensions.Logging;

namespace ImageHub.Sidecar.Proxy.Steps;

/// <summary>
/// Runs the listener's wasm filters: request headers (and the body, buffered, only if a filter
/// reads it) on the way in, response headers on the way out in reverse order. A local reply
/// stops the way in; it then passes back through every filter of the chain, the replying one
/// included, as Envoy runs local replies through all encoder filters.
/// Each request keeps the filter versions it started with, even if one is swapped meanwhile.
/// The way back runs as the request's <see cref="ProxyContext.ResponseStage"/>, so a request
/// whose filters do not pause costs no async frame here.
/// </summary>
public sealed class FilterChainStep(ILogger<FilterChainStep> logger) : IProxyStep
{
    /// <summary>Envoy's default per-connection buffer limit; a larger body a filter wants to read is refused.</summary>
    public const int MaxBufferedBody = 1024 * 1024;

    public ValueTask InvokeAsync(ProxyContext context, ProxyStepDelegate next)
    {
        var slots = context.Listener.Filters;
        if (slots.Count == 0) return next(context);

        var streams = OpenStreams(context, slots);
        for (var i = 0; i < streams.Count; i++)
        {
            var step = RequestHeaders(streams[i], context);
            if (!step.IsCompletedSuccessfully) return RequestHeadersPaused(context, next, streams, i, step);
            if (StopsRequest(context, streams[i], step.Result)) break;
        }
        return Forward(context, next, streams);
    }

    /// <summary>The way in from a filter that paused (typically on a callout) on.</summary>
    private async ValueTask RequestHeadersPaused(ProxyContext context, ProxyStepDelegate next, OpenFilters streams, int paused, ValueTask<FilterVerdict> step)
    {
        if (!StopsRequest(context, streams[paused], await Guard(streams[paused], step)))
        {
            for (var i = paused + 1; i < streams.Count; i++)
            {
                var verdict = await Guard(streams[i], RequestHeaders(streams[i], context));
                if (StopsRequest(context, streams[i], verdict)) break;
            }
        }
        await Forward(context, next, streams);
    }

    /// <summary>On to the upstream unless a filter answered; the response comes back through <see cref="BackThroughFilters"/>.</summary>
    private ValueTask Forward(ProxyContext context, ProxyStepDelegate next, OpenFilters streams)
    {
        if (context.Response is not null) return ValueTask.CompletedTask;
        if (context.RequestBody is not null && AnyWantsRequestBody(streams)) return RequestBodyThenForward(context, next, streams);
        return next(context);
    }

    private async ValueTask RequestBodyThenForward(ProxyContext context, ProxyStepDelegate next, OpenFilters streams)
    {
        await RunRequestBody(context, streams, context.Http.RequestAborted);
        if (context.Response is null) await next(context);
    }

    /// <summary>
    /// Back through the filters, last first, once the pipeline has returned and before the response
    /// is written (<see cref="ProxyContext.ResponseStage"/>): this step then needs no async frame
    /// of its own around the upstream call.
    /// </summary>
    private ValueTask BackThroughFilters(ProxyContext context, OpenFilters streams)
    {
        for (var i = streams.Count - 1; i >= 0; i--)
        {
            if (context.Response is null) break;
            var step = ResponseHeaders(streams[i], context);
            if (!step.IsCompletedSuccessfully) return BackThroughFiltersPaused(context, streams, i, step);
            OnResponseVerdict(context, streams[i], step.Result);
        }
        return ValueTask.CompletedTask;
    }

    private async ValueTask BackThroughFiltersPaused(ProxyContext context, OpenFilters streams, int paused, ValueTask<FilterVerdict> step)
    {
        OnResponseVerdict(context, streams[paused], await Guard(streams[paused], step));
        for (var i = paused - 1; i >= 0; i--)
        {
            if (context.Response is null) break;
            OnResponseVerdict(context, streams[i], await Guard(streams[i], ResponseHeaders(streams[i], context)));
        }
    }

    private ValueTask<FilterVerdict> RequestHeaders(OpenFilter filter, ProxyContext context) =>
        Start(filter, static (s, c, end) => s.OnRequestHeadersAsync(c.RequestHeaders, end, c.Http.RequestAborted), context, context.RequestBody is null);

    private ValueTask<FilterVerdict> ResponseHeaders(OpenFilter filter, ProxyContext context)
    {
        var response = context.Response!;
        var endOfStream = response.Upstream is null && response.LocalBody.IsEmpty;
        return Start(filter, static (s, c, end) => s.OnResponseHeadersAsync(c.Response!.Headers, end, c.Http.RequestAborted), context, endOfStream);
    }

    /// <summary>True when the verdict ends the way in (a local reply); a reset ends the request.</summary>
    private static bool StopsRequest(ProxyContext context, OpenFilter filter, FilterVerdict verdict)
    {
        if (verdict.Reset) throw new StreamResetException(filter.Slot.Name);
        if (verdict.LocalReply is not { } reply) return false;
        filter.Version.LocalReplies.Increment();
        context.Response = reply;
        return true;
    }

    private static void OnResponseVerdict(ProxyContext context, OpenFilter filter, FilterVerdict verdict)
    {
        if (verdict.Reset) throw new StreamResetException(filter.Slot.Name);
        if (verdict.LocalReply is not { } reply) return;
        filter.Version.LocalReplies.Increment();
        context.Response!.Upstream?.Dispose();
        context.Response = reply;
    }

    private OpenFilters OpenStreams(ProxyContext context, IReadOnlyList<FilterSlot> slots)
    {
        var http = context.Http;
        // One description of the stream for every filter of the chain.
        var info = new FilterStreamInfo(
            context.RequestHeaders.Get("x-request-id") ?? "",
            Ip(http.Connection.RemoteIpAddress), http.Connection.RemotePort,
            Ip(http.Connection.LocalIpAddress), http.Connection.LocalPort,
            ConnectionNumber(http.Connection.Id),
            context.Listener.Name, http.Request.Protocol, DateTimeOffset.UtcNow);
        var streams = new OpenFilters(this, slots.Count);
        for (var i = 0; i < slots.Count; i++)
        {
            var slot = slots[i];
            var version = slot.Lease();
            if (version is null) continue; // unloaded through the admin API
            IHttpFilterStream stream;
            try { stream = version.Filter.OpenStream(info); }
            catch (Exception e)
            {
                version.Release();
                version.Failures.Increment();
                logger.LogError(e, "filter {Name}: could not open a stream", slot.Name);
                if (slot.Config.FailOpen) continue;
                context.Response = FilterFailed(slot);
                break;
            }
            version.Requests.Increment();
            streams.Add(new OpenFilter(version, slot, stream));
        }
        // The response headers go back through the filters, and the streams end (on_done, on_log,
        // on_delete) after the response is written, then the leases are returned.
        context.ResponseStage = streams;
        // A filter that could not start fails the request before any filter runs (the streams
        // opened still end).
        if (context.Response is not null) streams.SkipFilters();
        return streams;
    }

    /// <summary>One filter's stream for one request, on the version the request started with.</summary>
    private readonly record struct OpenFilter(FilterVersion Version, FilterSlot Slot, IHttpFilterStream Stream);

    /// <summary>The streams a request opened, in chain order: the response's way back through them, and their end.</summary>
    private sealed class OpenFilters(FilterChainStep chain, int capacity) : IResponseStage
    {
        private readonly OpenFilter[] _streams = capacity == 0 ? [] : new OpenFilter[capacity];
        private int _opened;
        private bool _skipFilters;

        /// <summary>The streams the request runs through (none when one of them could not be opened).</summary>
        public int Count => _skipFilters ? 0 : _opened;

        public OpenFilter this[int index] => _streams[index];

        public void Add(OpenFilter stream) => _streams[_opened++] = stream;

        public void SkipFilters() => _skipFilters = true;

        public ValueTask OnResponseAsync(ProxyContext context) => chain.BackThroughFilters(context, this);

        public void Complete(ProxyContext context)
        {
            var details = context.Response?.Details;
            for (var i = 0; i < _opened; i++)
            {
                var (version, slot, stream) = _streams[i];
                try { stream.Complete(details); }
                catch (Exception e) { chain.EndFailed(slot, e); }
                finally { version.Release(); }
            }
        }
    }

    private async Task RunRequestBody(ProxyContext context, OpenFilters streams, CancellationToken cancel)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.RequestBody!.ReadAsync(chunk, cancel)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBufferedBody)
            {
                context.Response = ProxyResponse.Local(413, "request payload too large for a filter to buffer", "request_payload_too_large");
                return;
            }
        }
        var body = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        for (var i = 0; i < streams.Count; i++)
        {
            var filter = streams[i];
            var (version, slot, stream) = filter;
            if (!stream.WantsRequestBody) continue;
            ValueTask<FilterVerdict> step;
            try { step = stream.OnRequestBodyAsync(body, true, cancel); }
            catch (OperationCanceledException) { throw; }
            catch (Exception e) { step = new(Failed(version, slot, e)); }
            var verdict = await Guard(filter, step);
            if (verdict.Reset) throw new StreamResetException(slot.Name);
            if (verdict.LocalReply is { } reply)
            {
                version.LocalReplies.Increment();
                context.Response = reply;
                return;
            }
        }
        buffer.Position = 0;
        context.RequestBody = buffer;
        context.RequestBodyLength = buffer.Length;
        context.RequestHeaders.Remove("transfer-encoding");
        context.RequestHeaders.Set("content-length", buffer.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Starts one step of a filter. A filter that throws fails its own request only: 503 when it
    /// fails closed (the default), skipped when its configuration says fail_open. A step that
    /// completes at once (the usual case: no callout) costs no closure and no state machine.
    /// </summary>
    private ValueTask<FilterVerdict> Start(OpenFilter filter, Func<IHttpFilterStream, ProxyContext, bool, ValueTask<FilterVerdict>> call, ProxyContext context, bool endOfStream)
    {
        try { return call(filter.Stream, context, endOfStream); }
        catch (OperationCanceledException) { throw; }
        catch (Exception e) { return new(Failed(filter.Version, filter.Slot, e)); }
    }

    /// <summary>Waits for a step that paused (or failed later), with the same failure policy.</summary>
    private async ValueTask<FilterVerdict> Guard(OpenFilter filter, ValueTask<FilterVerdict> step)
    {
        try { return await step; }
        catch (OperationCanceledException) { throw; }
        catch (Exception e) { return Failed(filter.Version, filter.Slot, e); }
    }

    private void EndFailed(FilterSlot slot, Exception e) => logger.LogError(e, "filter {Name}: ending the stream failed", slot.Name);

    private FilterVerdict Failed(FilterVersion version, FilterSlot slot, Exception e)
    {
        version.Failures.Increment();
        logger.LogError(e, "filter {Name} failed (fail_open: {FailOpen})", slot.Name, slot.Config.FailOpen);
        return slot.Config.FailOpen ? FilterVerdict.Continue : FilterVerdict.Reply(FilterFailed(slot));
    }

    private static bool AnyWantsRequestBody(OpenFilters streams)
    {
        for (var i = 0; i < streams.Count; i++)
            if (streams[i].Stream.WantsRequestBody) return true;
        return false;
    }

    private static ProxyResponse FilterFailed(FilterSlot slot) =>
        ProxyResponse.Local(503, $"filter {slot.Name} failed", "wasm_fail_stream");

    private static string Ip(System.Net.IPAddress? address) =>
        address is null ? "" : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();

    private static ulong ConnectionNumber(string connectionId)
    {
        // Kestrel ids are per-connection strings; a stable hash serves as Envoy's numeric connection.id.
        ulong hash = 14695981039346656037;
        foreach (var c in connectionId) hash = (hash ^ c) * 1099511628211;
        return hash;
    }
}
