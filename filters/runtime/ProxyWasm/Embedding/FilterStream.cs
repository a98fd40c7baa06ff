using ImageHub.ProxyWasm.Hosting;

namespace ImageHub.ProxyWasm;

/// <summary>
/// One HTTP request/response through one plugin, for the embedder: call the steps in HTTP
/// order, await each, and do what the <see cref="FilterResult"/> says. The header maps passed
/// in are changed in place by the filter. A step the filter pauses completes later — when the
/// filter continues (e.g. from a callout response), answers locally, or fails — without
/// holding a thread. Dispose (or <see cref="Complete"/>) ends the stream: on_done, on_log, on_delete.
/// </summary>
/// <remarks>
/// When a step answers <see cref="FilterAction.LocalReply"/>, send the reply's headers back
/// through <see cref="OnResponseHeadersAsync"/> of every filter of the chain (this one too),
/// as Envoy runs a local reply through the encoder filters.
/// </remarks>
public sealed class FilterStream : IDisposable
{
    private readonly LoadedPlugin _plugin;
    private readonly StreamContext? _context;
    private bool _completed;

    internal FilterStream(LoadedPlugin plugin, StreamContext? context)
    {
        _plugin = plugin;
        _context = context;
    }

    internal static FilterStream Unavailable(LoadedPlugin plugin) => new(plugin, null);

    public string PluginName => _plugin.Options.Name;

    /// <summary>The context id the filter knows this stream by (0 when the plugin could not run).</summary>
    public int ContextId => _context?.Id ?? 0;

    public ValueTask<FilterResult> OnRequestHeadersAsync(HeaderMap headers, bool endOfStream, CancellationToken cancellationToken = default) =>
        Step((headers, endOfStream), static (c, s) => c.HandleRequestHeaders(s.headers, s.endOfStream), cancellationToken);

    public ValueTask<FilterResult> OnRequestBodyAsync(ReadOnlyMemory<byte> chunk, bool endOfStream, CancellationToken cancellationToken = default) =>
        Step((chunk, endOfStream), static (c, s) => c.HandleRequestBody(s.chunk, s.endOfStream), cancellationToken, chunk);

    public ValueTask<FilterResult> OnRequestTrailersAsync(HeaderMap trailers, CancellationToken cancellationToken = default) =>
        Step(trailers, static (c, t) => c.HandleRequestTrailers(t), cancellationToken);

    public ValueTask<FilterResult> OnResponseHeadersAsync(HeaderMap headers, bool endOfStream, CancellationToken cancellationToken = default) =>
        Step((headers, endOfStream), static (c, s) => c.HandleResponseHeaders(s.headers, s.endOfStream), cancellationToken, response: true);

    public ValueTask<FilterResult> OnResponseBodyAsync(ReadOnlyMemory<byte> chunk, bool endOfStream, CancellationToken cancellationToken = default) =>
        Step((chunk, endOfStream), static (c, s) => c.HandleResponseBody(s.chunk, s.endOfStream), cancellationToken, chunk, response: true);

    public ValueTask<FilterResult> OnResponseTrailersAsync(HeaderMap trailers, CancellationToken cancellationToken = default) =>
        Step(trailers, static (c, t) => c.HandleResponseTrailers(t), cancellationToken, response: true);

    /// <summary>Ends the stream; <paramref name="responseCodeDetails"/> feeds the <c>response.code_details</c> property.</summary>
    public void Complete(string? responseCodeDetails = null)
    {
        if (_completed) return;
        _completed = true;
        if (_context is not null)
            lock (_context.Replica.Gate) _context.Complete(responseCodeDetails);
        _plugin.StreamFinished(_context?.Replica.Slot ?? 0);
    }

    public void Dispose() => Complete();

    private ValueTask<FilterResult> Step<TState>(TState state, Func<StreamContext, TState, ValueTask<FilterResult>> step, CancellationToken cancellationToken, ReadOnlyMemory<byte> body = default, bool response = false)
    {
        if (_completed) throw new ObjectDisposedException(nameof(FilterStream), "the stream is complete");
        if (_context is null) return new(Unavailable(body, response));
        ValueTask<FilterResult> result;
        lock (_context.Replica.Gate)
        {
            try
            {
                result = step(_context, state);
            }
            catch (FilterFailedException)
            {
                return new(_context.TakeFailure(body));
            }
        }
        if (result.IsCompleted || !cancellationToken.CanBeCanceled) return result;
        return WaitCancellable(result, cancellationToken);
    }

    private async ValueTask<FilterResult> WaitCancellable(ValueTask<FilterResult> result, CancellationToken cancellationToken)
    {
        await using var registration = cancellationToken.Register(() =>
        {
            lock (_context!.Replica.Gate) _context.Abandon();
        });
        return await result.ConfigureAwait(false);
    }

    // The plugin could not run at all: the request is answered by the failure policy once,
    // and the response (the 503 itself, or the upstream's when fail_open) passes untouched.
    private FilterResult Unavailable(ReadOnlyMemory<byte> body, bool response)
    {
        if (_plugin.Options.FailOpen || response) return body.IsEmpty ? FilterResult.Continue : FilterResult.ContinueWith(body);
        return FilterResult.Reply(new LocalReply(503, "wasm_fail_stream", [], new HeaderMap(), 14));
    }
}
