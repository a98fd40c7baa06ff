using ImageHub.ProxyWasm;
using ImageHub.Sidecar.Proxy;

namespace ImageHub.Sidecar.Filters.ProxyWasm;

/// <summary>
/// A wasm filter on the Proxy-Wasm host. The host keeps one <see cref="PluginHandle"/> per
/// plugin name across swaps and binds each stream to the version current when it opens, so
/// streams in flight finish on the code they started with. One of these per loaded version
/// (<paramref name="version"/> = the handle's <see cref="PluginHandle.Version"/> it was loaded as).
/// </summary>
public sealed class WasmHttpFilter(PluginHandle plugin, long version) : IHttpFilter
{
    public PluginHandle Plugin { get; } = plugin;

    public IHttpFilterStream OpenStream(FilterStreamInfo info) =>
        new Stream(Plugin.OpenStream(info.ProxyWasmInfo ??= new StreamInfo
        {
            SourceAddress = info.SourceAddress,
            SourcePort = info.SourcePort,
            DestinationAddress = info.DestinationAddress,
            DestinationPort = info.DestinationPort,
            ConnectionId = info.ConnectionId,
            Protocol = info.Protocol,
            StartTime = info.StartTime,
            // An ingress sidecar: Envoy's INBOUND.
            ListenerDirection = 1,
        }));

    /// <summary>
    /// The sidecar disposes a version when it left the chain and its last request ended. Replaced
    /// by newer code, the handle runs a later version and stays; removed (DELETE), it is still
    /// this version, and the host unloads the plugin: roots end, the module and metrics go.
    /// </summary>
    public void Dispose() => Plugin.Unload(onlyVersion: version);

    /// <remarks>
    /// The pipeline's header maps are the host's (<see cref="HttpHeaderMap.Entries"/>): the filter
    /// edits them in place. A step that completes at once (no callout) allocates no task.
    /// </remarks>
    private sealed class Stream(FilterStream stream) : IHttpFilterStream
    {
        // Proxy-Wasm has no way for a filter to declare that it reads bodies; bodies stream past
        // the filters untouched (see the README's "Limits").
        public bool WantsRequestBody => false;

        public ValueTask<FilterVerdict> OnRequestHeadersAsync(HttpHeaderMap headers, bool endOfStream, CancellationToken cancellationToken) =>
            Verdict(stream.OnRequestHeadersAsync(headers.Entries, endOfStream, cancellationToken));

        public ValueTask<FilterVerdict> OnRequestBodyAsync(ReadOnlyMemory<byte> body, bool endOfStream, CancellationToken cancellationToken) =>
            Verdict(stream.OnRequestBodyAsync(body, endOfStream, cancellationToken));

        public ValueTask<FilterVerdict> OnResponseHeadersAsync(HttpHeaderMap headers, bool endOfStream, CancellationToken cancellationToken) =>
            Verdict(stream.OnResponseHeadersAsync(headers.Entries, endOfStream, cancellationToken));

        public void Complete(string? responseCodeDetails) => stream.Complete(responseCodeDetails);

        private static ValueTask<FilterVerdict> Verdict(ValueTask<FilterResult> step) =>
            step.IsCompletedSuccessfully ? new(Verdict(step.Result)) : Paused(step);

        private static async ValueTask<FilterVerdict> Paused(ValueTask<FilterResult> step) => Verdict(await step);

        private static FilterVerdict Verdict(FilterResult result) => result.Action switch
        {
            FilterAction.LocalReply when result.LocalReply is { } reply =>
                FilterVerdict.Reply(ProxyResponse.Local(new HttpHeaderMap(reply.ToResponseHeaders()), reply.Body, reply.Details)),
            FilterAction.Reset => FilterVerdict.ResetStream,
            _ => FilterVerdict.Continue,
        };
    }
}
