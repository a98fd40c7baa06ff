using ImageHub.Sidecar.Routing;
using ImageHub.Sidecar.Upstream;
using Microsoft.AspNetCore.Http;

namespace ImageHub.Sidecar.Proxy;

/// <summary>One request passing through a listener: what each pipeline step reads and leaves for the next.</summary>
public sealed class ProxyContext(HttpContext http, ListenerRuntime listener)
{
    public HttpContext Http { get; } = http;
    public ListenerRuntime Listener { get; } = listener;

    /// <summary>The request as it will go upstream, pseudo-headers included; filters edit this map.</summary>
    public HttpHeaderMap RequestHeaders { get; } = new();

    /// <summary>The request body to send upstream; null when the request has none.</summary>
    public Stream? RequestBody { get; set; }

    /// <summary>Known length of <see cref="RequestBody"/>, when the client sent Content-Length or a filter buffered it.</summary>
    public long? RequestBodyLength { get; set; }

    public CompiledRoute? Route { get; set; }
    public UpstreamCluster? Cluster { get; set; }

    /// <summary>Set by whichever step produced the response; later steps on the way back may change it.</summary>
    public ProxyResponse? Response { get; set; }

    /// <summary>Cancelled when the route timeout expires or the client goes away; covers the response body too.</summary>
    public CancellationToken UpstreamCancellation { get; set; } = CancellationToken.None;

    /// <summary>
    /// What a step left for the way back (the filter chain's response callbacks, and the end of
    /// its streams), run by the response writer: a step with nothing to await of its own then
    /// needs no async frame around the rest of the pipeline.
    /// </summary>
    public IResponseStage? ResponseStage { get; set; }

    /// <summary>Work to run once the response has been written (dispose timers).</summary>
    public List<Func<ValueTask>> OnCompleted { get; } = [];

    public string Method => RequestHeaders.Get(":method") ?? "GET";
    public string Path => RequestHeaders.Get(":path") ?? "/";
    public string Authority => RequestHeaders.Get(":authority") ?? "";
}

/// <summary>A step's work on the way back, run by the response writer (see <see cref="ProxyContext.ResponseStage"/>).</summary>
public interface IResponseStage
{
    /// <summary>After the rest of the pipeline returned, before the response is written; may change <see cref="ProxyContext.Response"/>.</summary>
    ValueTask OnResponseAsync(ProxyContext context);

    /// <summary>Once the response has been written (or the request failed); never throws.</summary>
    void Complete(ProxyContext context);
}
