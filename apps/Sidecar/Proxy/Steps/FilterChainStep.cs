using ImageHub.Sidecar.Filters;
using Microsoft.Extensions.Logging;

namespace ImageHub.Sidecar.Proxy.Steps;

/// <summary>
/// Runs the listener's wasm filters: request headers (and the body, buffered, only if a filter
/// reads it) on the way in, response headers on the way out in reverse order. A local reply
/// stops the way in; it then passes back through every filter of the chain, the replying one
/// included, as Envoy runs local replies through all encoder filters.
/// Each request keeps the filter versions it started with, even if one is swapped meanwhile.
/// </summary>
public sealed class FilterChainStep(ILogger<FilterChainStep> logger) : IProxyStep
{
    /// <summary>Envoy's default per-connection buffer limit; a larger body a filter wants to read is refused.</summary>
    public const int MaxBufferedBody = 1024 * 1024;

    public async ValueTask InvokeAsync(ProxyContext context, ProxyStepDelegate next)
    {
        var slots = context.Listener.Filters;
        if (slots.Count == 0)
        {
            await next(context);
            return;
        }

        var streams = OpenStreams(context, slots);
        var cancel = context.Http.RequestAborted;
        for (var i = 0; i < streams.Count; i++)
        {
            var (version, slot, stream) = streams[i];
            var endOfStream = context.RequestBody is null;
            var step = Start(version, slot, stream, static (s, c, end) => s.OnRequestHeadersAsync(c.RequestHeaders, end, c.Http.RequestAborted), context, endOfStream);
            var verdict = step.IsCompletedSuccessfully ? step.Result : await Guard(version, slot, step);
            if (verdict.Reset) throw new StreamResetException(slot.Name);
            if (verdict.LocalReply is { } reply)
            {
                version.LocalReplies.Increment();
                context.Response = reply;
                break;
            }
        }

        if (context.Response is null && context.RequestBody is not null && AnyWantsRequestBody(streams))
            await RunRequestBody(context, streams, cancel);

        if (context.Response is null) await next(context);

        // Back through the filters, last first.
        for (var i = streams.Count - 1; i >= 0; i--)
        {
            var (version, slot, stream) = streams[i];
            if (context.Response is null) break;
            var response = context.Response;
            var endOfStream = response.Upstream is null && response.LocalBody.IsEmpty;
            var step = Start(version, slot, stream, static (s, c, end) => s.OnResponseHeadersAsync(c.Response!.Headers, end, c.Http.RequestAborted), context, endOfStream);
            var verdict = step.IsCompletedSuccessfully ? step.Result : await Guard(version, slot, step);
            if (verdict.Reset) throw new StreamResetException(slot.Name);
            if (verdict.LocalReply is { } reply)
            {
                version.LocalReplies.Increment();
                response.Upstream?.Dispose();
                context.Response = reply;
            }
        }
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
        var streams = new OpenFilters(context, slots.Count, logger);
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
        // Streams end (on_done, on_log, on_delete) after the response is written, then the lease is returned.
        context.OnCompleted.Add(streams.CompleteAll);
        // A filter that could not start fails the request before any filter runs.
        return context.Response is null ? streams : OpenFilters.None;
    }

    /// <summary>One filter's stream for one request, on the version the request started with.</summary>
    private readonly record struct OpenFilter(FilterVersion Version, FilterSlot Slot, IHttpFilterStream Stream);

    /// <summary>The streams a request opened, in chain order; ends them all once the response is written.</summary>
    private sealed class OpenFilters(ProxyContext? context, int capacity, ILogger? logger)
    {
        public static readonly OpenFilters None = new(null, 0, null);

        private readonly OpenFilter[] _streams = capacity == 0 ? [] : new OpenFilter[capacity];

        public int Count { get; private set; }

        public OpenFilter this[int index] => _streams[index];

        public void Add(OpenFilter stream) => _streams[Count++] = stream;

        public ValueTask CompleteAll()
        {
            var details = context?.Response?.Details;
            for (var i = 0; i < Count; i++)
            {
                var (version, slot, stream) = _streams[i];
                try { stream.Complete(details); }
                catch (Exception e) { logger?.LogError(e, "filter {Name}: ending the stream failed", slot.Name); }
                finally { version.Release(); }
            }
            return ValueTask.CompletedTask;
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
            var (version, slot, stream) = streams[i];
            if (!stream.WantsRequestBody) continue;
            ValueTask<FilterVerdict> step;
            try { step = stream.OnRequestBodyAsync(body, true, cancel); }
            catch (OperationCanceledException) { throw; }
            catch (Exception e) { step = new(Failed(version, slot, e)); }
            var verdict = await Guard(version, slot, step);
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
    private ValueTask<FilterVerdict> Start(FilterVersion version, FilterSlot slot, IHttpFilterStream stream,
        Func<IHttpFilterStream, ProxyContext, bool, ValueTask<FilterVerdict>> call, ProxyContext context, bool endOfStream)
    {
        try { return call(stream, context, endOfStream); }
        catch (OperationCanceledException) { throw; }
        catch (Exception e) { return new(Failed(version, slot, e)); }
    }

    /// <summary>Waits for a step that paused (or failed later), with the same failure policy.</summary>
    private async ValueTask<FilterVerdict> Guard(FilterVersion version, FilterSlot slot, ValueTask<FilterVerdict> step)
    {
        try { return await step; }
        catch (OperationCanceledException) { throw; }
        catch (Exception e) { return Failed(version, slot, e); }
    }

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
